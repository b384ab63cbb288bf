import type { CommandOutput } from "../../cli/output.ts";
import type { DeployFlags } from "../../cli/deploy/request.ts";

export const STATE_MACHINE_ARN = "arn:aws:states:us-east-1:123456789012:stateMachine:rolling-deploy";

/** What the command printed, stdout and stderr apart. */
export function capturedOutput(): CommandOutput & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (line) => stdout.push(line), err: (line) => stderr.push(line) };
}

/** The flags commander hands over when only the required ones are given. */
export const deployFlags = (flags: Partial<DeployFlags>): DeployFlags => ({
  stateMachineArn: STATE_MACHINE_ARN,
  wait: true,
  pollSeconds: 5,
  ...flags,
});
