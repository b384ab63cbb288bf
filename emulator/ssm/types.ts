/** SSM Run Command as the emulator models it: AWS-RunShellScript on the fleet's instances. */

export type InvocationStatus = "InProgress" | "Success" | "Failed" | "Undeliverable";

export interface ShellResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface SsmCommand {
  readonly commandId: string;
  readonly documentName: string;
  readonly comment: string;
  readonly instanceIds: readonly string[];
  readonly commands: readonly string[];
  readonly timeoutSeconds: number;
  readonly requestedAtMs: number;
}

export interface CommandInvocation {
  readonly command: SsmCommand;
  readonly instanceId: string;
  /** undefined: the agent never got it (the host is gone). */
  readonly result: ShellResult | undefined;
  /** When the agent reports the script finished. */
  readonly finishedAtMs: number;
}

export interface InvocationView {
  readonly invocation: CommandInvocation;
  readonly status: InvocationStatus;
  /** AWS's ResponseCode: -1 until the script has finished. */
  readonly responseCode: number;
}
