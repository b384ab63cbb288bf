import { StartExecutionCommand } from "@aws-sdk/client-sfn";
import type { Command } from "commander";
import { latestConnections } from "../../core/connections.ts";
import { getDeploy } from "../../core/deploy-store.ts";
import { pacedShedRate } from "../../core/drain/pacing.ts";
import { drainImpact, type DrainImpact } from "../../core/timing.ts";
import type { DeployPlan, DeployRecord } from "../../core/types.ts";
import { readDeployRequest } from "../deploy/request.ts";
import { BadCommandInput, EXIT_CODES } from "../errors.ts";
import { executionNameOf, reportExecution } from "../execution.ts";
import { detachOnInterrupt, followDeploy } from "../follow/follow.ts";
import { duration } from "../follow/render.ts";
import { EXIT_CODES_HELP } from "../help.ts";
import { operate } from "../operate.ts";
import { outputOption, printJson, processOutput, type CommandOutput, type OutputFormat } from "../output.ts";
import { addTargetOptions, type TargetFlags } from "../target.ts";

export interface PlanFlags extends TargetFlags {
  input?: string;
  inputJson?: string;
  name?: string;
  output: OutputFormat;
}

export interface PlanPrediction extends DrainImpact {
  batchIndex: number;
  connections: number;
}

export interface PlanReport {
  deployId: string;
  plan: DeployPlan;
  batches: PlanPrediction[];
  predictedSeconds: number;
  forcedDisconnects: number;
  peakReconnectsPerMinute: number;
}

/** Each batch's clients: how many are handed off, how many cut, how fast they come back (core/timing's drainImpact). */
export function predictImpact(record: DeployRecord, plan: DeployPlan, connections: Record<string, number>, shedRatePerSecond: number): PlanPrediction[] {
  const budget = { maxReconnectsPerMinute: record.input.drain.maxReconnectsPerMinute, appShedRatePerSecond: shedRatePerSecond, timeoutSeconds: record.input.drain.timeoutSeconds };
  return plan.batches.map((batch) => {
    const counts = batch.instanceIds.map((id) => connections[id] ?? 0);
    const drain = { ...record.input.drain, shedRatePerSecond: record.input.drain.signal === "none" ? 0 : pacedShedRate(budget, counts) };
    return { batchIndex: batch.index, connections: counts.reduce((sum, count) => sum + count, 0), ...drainImpact(counts, drain) };
  });
}

export function planTable(report: PlanReport): string[] {
  const rows = report.plan.batches.map((batch) => {
    const predicted = report.batches.find((entry) => entry.batchIndex === batch.index);
    const zones = Object.entries(batch.availabilityZones).map(([zone, count]) => `${zone}×${count}`).join(" ");
    return [String(batch.index + 1), zones, String(batch.instanceIds.length), String(predicted?.connections ?? 0), String(predicted?.forcedDisconnects ?? 0), `${predicted?.peakReconnectsPerMinute ?? 0}/min`, duration(batch.predictedSeconds)];
  });
  const header = ["BATCH", "ZONES", "INSTANCES", "CONNECTIONS", "FORCED", "RECONNECTS", "PREDICTED"];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)));
  const line = (cells: readonly string[]) => cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join("  ").trimEnd();
  return [
    `plan ${report.deployId}: ${report.plan.mode} to v${report.plan.targetVersion}, ${report.plan.batches.length} batches of up to ${report.plan.requestedBatchSize}, at most ${report.plan.maxHealthyOutOfService} healthy out of service`,
    line(header),
    ...rows.map(line),
    ...report.plan.skipped.map((skip) => `skipped ${skip.instanceId}: ${skip.reason}`),
    ...report.plan.notes.map((note) => `note: ${note}`),
    `predicted: ${duration(report.predictedSeconds)} · forced disconnects ${report.forcedDisconnects} · reconnect peak ${report.peakReconnectsPerMinute}/min`,
  ];
}

/** A dry run through the real workflow (dryRun: true plans with the live fleet and changes nothing), shown as a table. */
export async function runPlan(flags: PlanFlags, output: CommandOutput = processOutput): Promise<number> {
  const request = await readDeployRequest({ ...flags, wait: true, pollSeconds: 1 }, undefined).catch((error: unknown) => {
    if (!(error instanceof BadCommandInput)) throw error;
    output.err(error.message);
    return undefined;
  });
  if (request === undefined) return EXIT_CODES.badInput;
  return operate(flags, output, request.name === undefined ? {} : { executionName: request.name }, async (operation) => {
    const started = await operation.sfn.send(new StartExecutionCommand({
      stateMachineArn: operation.stateMachineArn,
      input: JSON.stringify({ ...request.input, dryRun: true }),
      ...(request.name === undefined ? {} : { name: request.name }),
    }));
    const executionArn = started.executionArn ?? "";
    const deployId = executionNameOf(executionArn);
    const interrupt = detachOnInterrupt();
    const result = await followDeploy({ sfn: operation.sfn, executionArn, pollSeconds: 1, output, live: false, quiet: true, signal: interrupt.signal }, `Planning ${deployId}`)
      .finally(() => interrupt.dispose());
    if (result.detached) return EXIT_CODES.detached;
    if (result.described.status !== "SUCCEEDED") return reportExecution(result.described, output);
    const record = await getDeploy(operation.runtime, deployId);
    const plan = record.plan;
    if (plan === undefined) throw new BadCommandInput(`the dry run ${deployId} recorded no plan`, ["ebb status shows what it did"]);
    const ids = plan.batches.flatMap((batch) => batch.instanceIds);
    const connections = ids.length === 0 ? {} : await latestConnections(operation.runtime.clients.cloudWatch, operation.runtime.stage.connectionMetric, ids, await operation.target.now());
    const batches = predictImpact(record, plan, connections, operation.runtime.stage.estimates.shedRatePerSecond);
    const report: PlanReport = {
      deployId, plan, batches, predictedSeconds: plan.predictedSeconds,
      forcedDisconnects: batches.reduce((sum, batch) => sum + batch.forcedDisconnects, 0),
      peakReconnectsPerMinute: Math.max(0, ...batches.map((batch) => batch.peakReconnectsPerMinute)),
    };
    if (flags.output === "json") printJson(output, report);
    else for (const line of planTable(report)) output.out(line);
    return EXIT_CODES.succeeded;
  });
}

export function registerPlanCommand(program: Command): void {
  const command = program
    .command("plan")
    .description("dry-run a deploy (the real workflow with dryRun: true) and show its plan: batches per AZ, skipped instances, predicted duration, forced disconnects, reconnect peak")
    .option("--input <file>", "the workflow input, a JSON file")
    .option("--input-json <json>", "the workflow input, inline JSON")
    .option("--name <name>", "the dry run's execution name")
    .addOption(outputOption());
  addTargetOptions(command)
    .addHelpText("after", `\nExample: ebb plan --stage prod --input-json '{"autoScalingGroupName":"ebb-demo-asg","launchTemplateVersion":"3"}'\n${EXIT_CODES_HELP}`)
    .action(async (flags: PlanFlags) => {
      process.exitCode = await runPlan(flags);
    });
}
