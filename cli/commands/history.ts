import { DescribeExecutionCommand } from "@aws-sdk/client-sfn";
import { Command, InvalidArgumentError } from "commander";
import { listDeploys } from "../../core/progress/records.ts";
import type { DeployRecord } from "../../core/types.ts";
import { EXIT_CODES } from "../errors.ts";
import { executionArnOf } from "../execution.ts";
import { duration } from "../follow/render.ts";
import { EXIT_CODES_HELP } from "../help.ts";
import { operate, type Operation } from "../operate.ts";
import { outputOption, printJson, processOutput, type CommandOutput, type OutputFormat } from "../output.ts";
import { addTargetOptions, type TargetFlags } from "../target.ts";

export interface HistoryFlags extends TargetFlags {
  group?: string;
  limit: number;
  output: OutputFormat;
}

export interface HistoryRow {
  deployId: string;
  autoScalingGroupName: string;
  /** The deploy's outcome; for one without (running, or stopped and not settled) the execution's status. */
  outcome: string;
  startedAt: string;
  durationSeconds: number | undefined;
  targetVersion: string | undefined;
  batches: number | undefined;
  cause: string | undefined;
}

async function rowOf(operation: Operation, record: DeployRecord): Promise<HistoryRow> {
  let outcome: string = record.outcome?.status ?? record.status;
  if (record.outcome === undefined) {
    const described = await operation.sfn.send(new DescribeExecutionCommand({ executionArn: executionArnOf(operation.stateMachineArn, record.deployId) })).catch(() => undefined);
    if (described?.status !== undefined && described.status !== "RUNNING") outcome = `${described.status} (not settled)`;
    else if (described?.status === "RUNNING") outcome = "Running";
  }
  return {
    deployId: record.deployId,
    autoScalingGroupName: record.autoScalingGroupName,
    outcome,
    startedAt: record.startedAt,
    durationSeconds: record.outcome === undefined ? undefined : Math.round((Date.parse(record.outcome.at) - Date.parse(record.startedAt)) / 1000),
    targetVersion: record.targetVersion,
    batches: record.plan?.batches.length,
    cause: record.outcome?.cause,
  };
}

export function historyTable(rows: readonly HistoryRow[]): string[] {
  const header = ["DEPLOY", "GROUP", "OUTCOME", "STARTED", "DURATION", "VERSION", "BATCHES"];
  const cells = rows.map((row) => [row.deployId, row.autoScalingGroupName, row.outcome, row.startedAt.replace(/\.\d+Z$/, "Z"), row.durationSeconds === undefined ? "-" : duration(row.durationSeconds), row.targetVersion ?? "-", String(row.batches ?? "-")]);
  const widths = header.map((title, column) => Math.max(title.length, ...cells.map((cell) => cell[column]?.length ?? 0)));
  const line = (cell: readonly string[]) => cell.map((value, column) => value.padEnd(widths[column] ?? 0)).join("  ").trimEnd();
  return [line(header), ...cells.map(line), ...rows.filter((row) => row.cause !== undefined && row.cause !== "").map((row) => `${row.deployId}: ${row.cause ?? ""}`)];
}

export async function runHistory(flags: HistoryFlags, output: CommandOutput = processOutput): Promise<number> {
  return operate(flags, output, {}, async (operation) => {
    const groups = flags.group === undefined ? operation.runtime.stage.autoScalingGroups : [flags.group];
    const records = (await Promise.all(groups.map((group) => listDeploys(operation.runtime, group)))).flat()
      .sort((a, b) => b.startedAt.localeCompare(a.startedAt)).slice(0, flags.limit);
    const rows = await Promise.all(records.map((record) => rowOf(operation, record)));
    if (flags.output === "json") printJson(output, rows);
    else if (rows.length === 0) output.out(`no deploys of ${groups.join(", ")} in ${operation.target.where}`);
    else for (const line of historyTable(rows)) output.out(line);
    return EXIT_CODES.succeeded;
  });
}

const parseLimit = (value: string): number => {
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1) throw new InvalidArgumentError("the limit must be a whole number ≥ 1");
  return limit;
};

export function registerHistoryCommand(program: Command): void {
  const command = program
    .command("history")
    .description("past deploys of the stage's groups, newest first: outcome, duration, version (from the deploy records)")
    .option("--group <name>", "only this Auto Scaling group (default: every group of the stage)")
    .option("--limit <n>", "at most this many", parseLimit, 20)
    .addOption(outputOption());
  addTargetOptions(command)
    .addHelpText("after", `\nExample: ebb history --stage prod --group ebb-demo-asg\n${EXIT_CODES_HELP}`)
    .action(async (flags: HistoryFlags) => {
      process.exitCode = await runHistory(flags);
    });
}
