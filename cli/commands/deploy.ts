import { Command, InvalidArgumentError } from "commander";
import { runDeploy } from "../deploy/run.ts";
import type { DeployFlags } from "../deploy/request.ts";

const parsePollSeconds = (value: string): number => {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new InvalidArgumentError("the poll interval must be a number of seconds > 0");
  return seconds;
};

export function registerDeployCommand(program: Command): void {
  program
    .command("deploy")
    .description("start a rolling deploy (the rolling-deploy state machine, on AWS or on `ebb emulator`) and follow it to the end")
    .requiredOption("--state-machine-arn <arn>", "the rolling-deploy state machine (SST output stateMachineArn, or the ARN `ebb emulator` prints)")
    .option("--input <file>", "the workflow input, a JSON file")
    .option("--input-json <json>", "the workflow input, inline JSON")
    .option("--name <name>", "the execution's name (unique per state machine; default: one AWS picks)")
    .option("--region <region>", "AWS region (default: the state machine ARN's)")
    .option("--endpoint-url <url>", "send the calls here instead of AWS, e.g. `ebb emulator`'s URL (default: $AWS_ENDPOINT_URL)")
    .option("--no-wait", "start the execution, print its ARN and return")
    .option("--poll-seconds <n>", "how often to check the execution's status (real seconds)", parsePollSeconds, 5)
    .addHelpText("after", "\nExit codes: 0 succeeded (or started, with --no-wait), 1 failed/aborted/timed out, 2 bad input (nothing started).")
    .action(async (flags: DeployFlags) => {
      process.exitCode = await runDeploy(flags);
    });
}
