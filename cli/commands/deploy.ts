import { Command, InvalidArgumentError } from "commander";
import { runDeploy } from "../deploy/run.ts";
import type { DeployFlags } from "../deploy/request.ts";
import { EXIT_CODES_HELP } from "../help.ts";
import { outputOption } from "../output.ts";
import { addTargetOptions } from "../target.ts";

export const parsePollSeconds = (value: string): number => {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new InvalidArgumentError("the poll interval must be a number of seconds > 0");
  return seconds;
};

export function registerDeployCommand(program: Command): void {
  const command = program
    .command("deploy")
    .description("start a rolling deploy and follow it live (batch, each instance's phase, healthy capacity, ETA); Ctrl-C detaches")
    .option("--input <file>", "the workflow input, a JSON file")
    .option("--input-json <json>", "the workflow input, inline JSON")
    .option("--name <name>", "the execution's name, which is the deploy's id (unique per state machine; default: one AWS picks)")
    .option("--state-machine-arn <arn>", "the rolling-deploy state machine (default: the stage's or the emulator's)")
    .option("--endpoint-url <url>", "with --state-machine-arn only: send the calls here (default: $AWS_ENDPOINT_URL)")
    .option("--no-wait", "start the execution, print its ARN and return")
    .option("--poll-seconds <n>", "how often to read the deploy's progress (real seconds)", parsePollSeconds, 5)
    .addOption(outputOption());
  addTargetOptions(command)
    .addHelpText("after", `\nExample: ebb deploy --local --endpoint http://127.0.0.1:4566 --input-json '{"autoScalingGroupName":"ebb-demo-asg","launchTemplateVersion":"2"}' --name v2\n${EXIT_CODES_HELP}`)
    .action(async (flags: DeployFlags) => {
      process.exitCode = await runDeploy(flags);
    });
}
