import { DescribeExecutionCommand, StartExecutionCommand, StopExecutionCommand } from "@aws-sdk/client-sfn";
import type { Command } from "commander";
import { getDeploy } from "../../core/deploy-store.ts";
import { listBatches } from "../../core/progress/records.ts";
import { readDeployProgress } from "../../core/progress/read.ts";
import { BadCommandInput, EXIT_CODES } from "../errors.ts";
import { executionArnOf } from "../execution.ts";
import { detachOnInterrupt, followDeploy } from "../follow/follow.ts";
import { EXIT_CODES_HELP } from "../help.ts";
import { operate, type Operation } from "../operate.ts";
import { outputOption, printJson, processOutput, type CommandOutput, type OutputFormat } from "../output.ts";
import { addTargetOptions, targetArguments, type TargetFlags } from "../target.ts";
import { parsePollSeconds } from "./deploy.ts";

export interface AbortFlags extends TargetFlags {
  rollback?: boolean;
  pollSeconds: number;
  settleSeconds: number;
  output: OutputFormat;
}

/** What StopExecution records as the execution's error: the settle path reports it as DeployAborted. */
const ABORT_ERROR = "EbbAbort";

/**
 * A rollback of what an aborted deploy replaced: a new deploy back to the version the fleet ran
 * before. Instances still on that version are skipped by the planner (on-target-version), so only
 * the batches that were done are rolled.
 */
async function startRollback(operation: Operation, deployId: string): Promise<{ started?: string; reason?: string }> {
  const record = await getDeploy(operation.runtime, deployId);
  const original = record.snapshot?.launchTemplate.version;
  const replaced = (await listBatches(operation.runtime, deployId)).filter((batch) => batch.phase === "deploy" && batch.terminatedAt !== undefined);
  if (original === undefined || replaced.length === 0) return { reason: "no batch was replaced: nothing to roll back" };
  const { imageId: _image, ...settings } = record.input;
  const name = `${deployId}-rollback`.slice(0, 80);
  const started = await operation.sfn.send(new StartExecutionCommand({
    stateMachineArn: operation.stateMachineArn,
    name,
    input: JSON.stringify({ ...settings, launchTemplateVersion: original, dryRun: false }),
  }));
  return { started: started.executionArn ?? name };
}

export async function runAbort(deployId: string, flags: AbortFlags, output: CommandOutput = processOutput): Promise<number> {
  return operate(flags, output, { executionName: deployId }, async (operation) => {
    const json = flags.output === "json";
    const executionArn = executionArnOf(operation.stateMachineArn, deployId);
    const described = await operation.sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (described.status !== "RUNNING") {
      throw new BadCommandInput(`deploy ${deployId} is not running (${String(described.status)})`, [`nothing to abort; ebb status ${deployId} ${targetArguments(operation.target)} shows how it ended`]);
    }
    await operation.sfn.send(new StopExecutionCommand({ executionArn, error: ABORT_ERROR, cause: `aborted with ebb abort${flags.rollback === true ? " --rollback" : ""}` }));
    if (!json) output.out(`stopped ${executionArn}; Ebb settles it now (processes resumed, delays restored, nothing left deregistered, lock released)`);
    const interrupt = detachOnInterrupt();
    const signal = AbortSignal.any([interrupt.signal, AbortSignal.timeout(flags.settleSeconds * 1000)]);
    let result;
    try {
      result = await followDeploy({
        sfn: operation.sfn, executionArn, untilSettled: true, pollSeconds: flags.pollSeconds, output, live: false, quiet: json, signal,
        readProgress: async () => readDeployProgress(operation.runtime, deployId, await operation.target.now()),
      }, `Aborting ${deployId}`);
    } finally {
      interrupt.dispose();
    }
    const outcome = result.progress?.outcome;
    if (result.detached || (result.progress !== undefined && outcome === undefined)) {
      if (json) printJson(output, { deployId, status: result.described.status, settled: false });
      else output.err(`deploy ${deployId} is stopped but not settled yet; ebb status ${deployId} --follow ${targetArguments(operation.target)} shows when it is`);
      return EXIT_CODES.failed;
    }
    const rollback = flags.rollback === true && result.progress !== undefined ? await startRollback(operation, deployId) : undefined;
    if (json) {
      printJson(output, { deployId, status: result.described.status, settled: true, outcome, rollback });
    } else {
      output.out(`settled: ${outcome?.status ?? "no deploy record (stopped before it began)"}${outcome?.cause === undefined ? "" : ` (${outcome.cause})`}`);
      if (rollback?.started !== undefined) output.out(`rolling back the replaced batches: started ${rollback.started}\nfollow it: ebb status ${deployId}-rollback --follow ${targetArguments(operation.target)}`);
      if (rollback?.reason !== undefined) output.out(rollback.reason);
    }
    return EXIT_CODES.succeeded;
  });
}

export function registerAbortCommand(program: Command): void {
  const command = program
    .command("abort")
    .argument("<deploy>", "the deploy's id (its execution name)")
    .description("stop a running deploy (StopExecution) and wait until Ebb has settled it; --rollback then rolls the batches done back")
    .option("--rollback", "after settling, deploy the previous launch template version to the instances already replaced")
    .option("--poll-seconds <n>", "how often to check (real seconds)", parsePollSeconds, 2)
    .option("--settle-seconds <n>", "how long to wait for the settle path (real seconds)", parsePollSeconds, 300)
    .addOption(outputOption());
  addTargetOptions(command)
    .addHelpText("after", `\nExample: ebb abort v2 --rollback --stage prod\n${EXIT_CODES_HELP}\n(abort: 0 stopped and settled, 1 stopped but not settled in time)`)
    .action(async (deployId: string, flags: AbortFlags) => {
      process.exitCode = await runAbort(deployId, flags);
    });
}
