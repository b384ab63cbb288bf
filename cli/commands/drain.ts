import { StartExecutionCommand, type DescribeExecutionCommandOutput } from "@aws-sdk/client-sfn";
import { Option, type Command } from "commander";
import { InstanceNotDrainable } from "../../core/errors.ts";
import { drainableGroup, lockHolderOf } from "../../core/instance-drain/eligibility.ts";
import { readInstanceDrainProgress } from "../../core/instance-drain/progress.ts";
import type { DrainThen } from "../../core/instance-drain/record.ts";
import type { InstanceDrainSummary } from "../../core/instance-drain/steps.ts";
import { readableCause } from "../../sim/execution-cause.ts";
import { EXIT_CODES } from "../errors.ts";
import { drainView } from "../follow/drain-view.ts";
import { detachOnInterrupt, followExecution } from "../follow/follow.ts";
import { EXIT_CODES_HELP } from "../help.ts";
import { operate, type Operation } from "../operate.ts";
import { outputOption, printJson, processOutput, type CommandOutput, type OutputFormat } from "../output.ts";
import { addTargetOptions, type TargetFlags } from "../target.ts";
import { parsePollSeconds } from "./deploy.ts";

export const DRAIN_WORKFLOW = "drain";

export interface DrainFlags extends TargetFlags {
  then: DrainThen;
  follow: boolean;
  pollSeconds: number;
  output: OutputFormat;
}

const INSTANCE_ID = /^i-[0-9a-zA-Z]+$/;

/** What to say once it ended well, and how to undo a Standby. */
function doneLine(summary: InstanceDrainSummary): string {
  const left = summary.remainingConnections > 0 ? ` (${summary.remainingConnections} connections left when the drain timed out)` : "";
  if (summary.outcome === "standby") {
    return `drained ${summary.instanceId}: in Standby${left}; put it back with aws autoscaling exit-standby --auto-scaling-group-name ${summary.groupName ?? ""} --instance-ids ${summary.instanceId}`;
  }
  return `drained ${summary.instanceId}: ${summary.outcome}${left}; the Auto Scaling group launches its replacement`;
}

function failedLines(described: DescribeExecutionCommandOutput): string[] {
  const cause = readableCause(described.cause);
  return [`the drain ended ${String(described.status)}${described.error === undefined ? "" : `: ${described.error}`}`, ...(cause === undefined ? [] : [cause])];
}

/** Refusals before anything starts: one line each, exit code 2. */
async function refusal(operation: Operation, instanceId: string, then: DrainThen): Promise<string | undefined> {
  try {
    const group = await drainableGroup(operation.runtime, instanceId, then);
    const holder = await lockHolderOf(operation.runtime, group.name);
    return holder === undefined ? undefined : `cannot drain ${instanceId}: ${group.name} is locked by ${holder}; try again once it ends`;
  } catch (error) {
    if (error instanceof InstanceNotDrainable) return error.message;
    throw error;
  }
}

/**
 * `ebb drain INSTANCE` without commander: checks the instance and the group's lock, starts the drain
 * workflow (named after the drain) and follows it until it ends or Ctrl-C detaches.
 */
export async function runDrain(instanceId: string, flags: DrainFlags, output: CommandOutput = processOutput, environment: NodeJS.ProcessEnv = process.env): Promise<number> {
  if (!INSTANCE_ID.test(instanceId)) {
    output.err(`not an instance id: ${JSON.stringify(instanceId)} (expected i-0123456789abcdef0)`);
    return EXIT_CODES.badInput;
  }
  return operate(flags, output, {}, async (operation) => {
    const stateMachineArn = operation.target.stateMachineArnOf(DRAIN_WORKFLOW);
    if (stateMachineArn === undefined) {
      output.err(`no drain workflow in ${operation.target.where}: deploy the stage with this version of Ebb first`);
      return EXIT_CODES.badInput;
    }
    const refused = await refusal(operation, instanceId, flags.then);
    if (refused !== undefined) {
      output.err(refused);
      return EXIT_CODES.badInput;
    }
    const json = flags.output === "json";
    const drainId = `drain-${instanceId}-${Math.floor((await operation.target.now()).getTime() / 1000)}`;
    const started = await operation.sfn.send(new StartExecutionCommand({ stateMachineArn, name: drainId, input: JSON.stringify({ instanceId, then: flags.then }) }));
    const executionArn = started.executionArn ?? "";
    if (!json) output.out(`started ${executionArn}`);
    if (!flags.follow) {
      if (json) printJson(output, { executionArn, drainId });
      return EXIT_CODES.succeeded;
    }
    const interrupt = detachOnInterrupt();
    try {
      const view = drainView(async () => readInstanceDrainProgress(operation.runtime, drainId, await operation.target.now()));
      const result = await followExecution(
        { sfn: operation.sfn, executionArn, view, pollSeconds: flags.pollSeconds, output, live: output.live === true, quiet: json, signal: interrupt.signal, untilSettled: true },
        `Draining ${instanceId}`,
      );
      const summary = result.described.output === undefined ? undefined : (JSON.parse(result.described.output) as InstanceDrainSummary);
      if (json) printJson(output, { executionArn, drainId, status: result.described.status, detached: result.detached, progress: result.progress, output: summary, error: result.described.error });
      if (result.detached) {
        if (!json) output.err(`detached: drain ${drainId} goes on (${String(result.described.status)}); it ends in Standby or terminated on its own`);
        return EXIT_CODES.detached;
      }
      if (result.described.status !== "SUCCEEDED" || summary === undefined) {
        if (!json) for (const line of failedLines(result.described)) output.err(line);
        return EXIT_CODES.failed;
      }
      if (!json) output.out(doneLine(summary));
      return EXIT_CODES.succeeded;
    } finally {
      interrupt.dispose();
    }
  }, environment);
}

export function registerDrainCommand(program: Command): void {
  const command = program
    .command("drain")
    .argument("<instance>", "the EC2 instance id (i-…) to drain")
    .description("drain one instance connection-aware (under the group's lock), then put it in Standby or terminate it for replacement")
    .addOption(new Option("--then <step>", "standby: keep it out of service (undo with exit-standby); terminate: the ASG replaces it").choices(["standby", "terminate"]).default("standby"))
    .option("--no-follow", "start the drain, print its execution ARN and return")
    .option("--poll-seconds <n>", "how often to read the drain's progress (real seconds)", parsePollSeconds, 5)
    .addOption(outputOption());
  addTargetOptions(command)
    .addHelpText("after", `\nExamples: ebb drain i-0abc123def4567890 --local --endpoint http://127.0.0.1:4566\n          ebb drain i-0abc123def4567890 --then terminate --stage prod\n${EXIT_CODES_HELP}`)
    .action(async (instanceId: string, flags: DrainFlags) => {
      process.exitCode = await runDrain(instanceId, flags);
    });
}
