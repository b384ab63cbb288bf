import { DescribeExecutionCommand, GetExecutionHistoryCommand, ListExecutionsCommand, type HistoryEvent } from "@aws-sdk/client-sfn";
import { InvalidArgumentError, type Command } from "commander";
import { readDeployProgress, type DeployProgress } from "../../core/progress/read.ts";
import { BadCommandInput, EXIT_CODES } from "../errors.ts";
import { executionArnOf, reportExecution } from "../execution.ts";
import { detachOnInterrupt, FINISHED_EXECUTION, followDeploy } from "../follow/follow.ts";
import { progressLines, summaryLine } from "../follow/render.ts";
import { EXIT_CODES_HELP } from "../help.ts";
import { operate, type Operation } from "../operate.ts";
import { outputOption, printJson, processOutput, type CommandOutput, type OutputFormat } from "../output.ts";
import { addTargetOptions, targetArguments, type TargetFlags } from "../target.ts";
import { parsePollSeconds } from "./deploy.ts";

export interface StatusFlags extends TargetFlags {
  follow?: boolean;
  pollSeconds: number;
  output: OutputFormat;
  /** Also show the execution's last N history events. */
  events?: number;
}

/** The state or error an event is about, for one line. */
function eventSubject(event: HistoryEvent): string {
  const name = event.stateEnteredEventDetails?.name ?? event.stateExitedEventDetails?.name;
  if (name !== undefined) return ` ${name}`;
  const failed = event.executionFailedEventDetails ?? event.lambdaFunctionFailedEventDetails ?? event.taskFailedEventDetails;
  return failed?.error === undefined ? "" : ` ${failed.error}${failed.cause === undefined ? "" : `: ${failed.cause.slice(0, 200)}`}`;
}

/** The last `count` events, oldest first, without their payloads. */
async function lastEvents(operation: Operation, executionArn: string, count: number): Promise<HistoryEvent[]> {
  const history = await operation.sfn.send(new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: count, includeExecutionData: false }));
  return [...(history.events ?? [])].reverse();
}

export const eventLine = (event: HistoryEvent): string =>
  `  #${String(event.id ?? "?").padStart(4)} ${event.timestamp?.toISOString() ?? ""} ${event.type ?? ""}${eventSubject(event)}`;

export const parseEventCount = (value: string): number => {
  const count = Number(value);
  if (!Number.isInteger(count) || count < 1 || count > 1000) throw new InvalidArgumentError("the number of events must be a whole number from 1 to 1000");
  return count;
};

/** The newest execution of the stage's rolling-deploy state machine: "the" deploy when none is named. */
export async function latestDeploy(operation: Operation): Promise<string> {
  const listed = await operation.sfn.send(new ListExecutionsCommand({ stateMachineArn: operation.stateMachineArn, maxResults: 1 }));
  const latest = listed.executions?.[0]?.name;
  if (latest === undefined) throw new BadCommandInput(`no deploy yet in ${operation.target.where}`, ["start one with ebb deploy"]);
  return latest;
}

const FAILED = new Set(["Failed", "RolledBack"]);

export async function runStatus(deploy: string | undefined, flags: StatusFlags, output: CommandOutput = processOutput): Promise<number> {
  return operate(flags, output, deploy === undefined ? {} : { executionName: deploy }, async (operation) => {
    const deployId = deploy ?? (await latestDeploy(operation));
    const executionArn = executionArnOf(operation.stateMachineArn, deployId);
    const readProgress = async (): Promise<DeployProgress> => readDeployProgress(operation.runtime, deployId, await operation.target.now());
    const json = flags.output === "json";
    if (flags.follow !== true) {
      const described = await operation.sfn.send(new DescribeExecutionCommand({ executionArn }));
      const progress = await readProgress().catch(() => undefined);
      const events = flags.events === undefined ? undefined : await lastEvents(operation, executionArn, flags.events);
      if (json) printJson(output, { deployId, executionArn, status: described.status, progress, ...(events === undefined ? {} : { events }) });
      else {
        for (const line of progress === undefined ? [`deploy ${deployId}: execution ${String(described.status)} (no deploy record yet)`] : progressLines(progress, String(described.status))) output.out(line);
        if (events !== undefined) output.out([`last ${events.length} events of the execution:`, ...events.map(eventLine)].join("\n"));
      }
      return described.status === "FAILED" || described.status === "TIMED_OUT" || (progress !== undefined && FAILED.has(progress.status)) ? EXIT_CODES.failed : EXIT_CODES.succeeded;
    }
    const interrupt = detachOnInterrupt();
    try {
      const result = await followDeploy(
        { sfn: operation.sfn, executionArn, readProgress, pollSeconds: flags.pollSeconds, output, live: output.live === true, quiet: json, signal: interrupt.signal },
        `Following ${deployId}`,
      );
      if (json) printJson(output, { deployId, executionArn, status: result.described.status, detached: result.detached, progress: result.progress });
      if (result.detached) {
        if (!json) output.err(`detached: deploy ${deployId} goes on; reattach: ebb status ${deployId} --follow ${targetArguments(operation.target)}`);
        return EXIT_CODES.detached;
      }
      if (!FINISHED_EXECUTION.has(result.described.status)) return EXIT_CODES.succeeded;
      if (json) return result.described.status === "SUCCEEDED" ? EXIT_CODES.succeeded : EXIT_CODES.failed;
      if (result.described.status !== "SUCCEEDED" || result.progress === undefined) return reportExecution(result.described, output);
      output.out(summaryLine(result.progress));
      return EXIT_CODES.succeeded;
    } finally {
      interrupt.dispose();
    }
  });
}

export function registerStatusCommand(program: Command): void {
  const command = program
    .command("status")
    .argument("[deploy]", "the deploy's id (its execution name); default: the latest")
    .description("show where a deploy is; --follow reattaches to it live until it ends")
    .option("--follow", "follow it live, like ebb deploy (Ctrl-C detaches again)")
    .option("--poll-seconds <n>", "how often to read the deploy's progress (real seconds)", parsePollSeconds, 5)
    .option("--events <n>", "also show the execution's last N history events (without --follow)", parseEventCount)
    .addOption(outputOption());
  addTargetOptions(command)
    .addHelpText("after", `\nExamples: ebb status v2 --follow --local --endpoint http://127.0.0.1:4566\n          ebb status v2 --events 10 --stage prod\n${EXIT_CODES_HELP}`)
    .action(async (deploy: string | undefined, flags: StatusFlags) => {
      process.exitCode = await runStatus(deploy, flags);
    });
}
