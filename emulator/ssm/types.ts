/** SSM Run Command as the emulator models it: AWS-RunShellScript on the fleet's instances. */

/** The API's CommandInvocationStatus values the emulator produces. */
export type InvocationStatus = "Pending" | "InProgress" | "Delayed" | "Success" | "Failed" | "TimedOut" | "Cancelling" | "Cancelled";

/** StatusDetails: more precise than Status (DeliveryTimedOut and ExecutionTimedOut are both TimedOut). */
export type InvocationStatusDetails = InvocationStatus | "DeliveryTimedOut" | "ExecutionTimedOut" | "Undeliverable";

/** A per-instance failure the scenario injects: the plugin fails, hangs, or the agent cannot be reached. */
export type InvocationFault = "Failed" | "ExecutionTimedOut" | "Undeliverable";

export interface ShellResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * A script still running once its first commands ran (one that waits on the host): the agent
 * asks it every step whether it ended, and stops it at the document's executionTimeout.
 */
export interface RunningScript {
  readonly running: true;
  /** Its result once it ended by itself; undefined while it still runs. */
  poll(nowMs: number): ShellResult | undefined;
}

/** What a shell run gives back: a finished script's result, or one still running. */
export type ScriptRun = ShellResult | RunningScript;

export interface SsmCommand {
  readonly commandId: string;
  readonly documentName: string;
  readonly comment: string;
  readonly instanceIds: readonly string[];
  readonly commands: readonly string[];
  /** Delivery timeout (SendCommand's TimeoutSeconds). */
  readonly timeoutSeconds: number;
  /** The document's executionTimeout parameter. */
  readonly executionTimeoutSeconds: number;
  readonly requestedAtMs: number;
}

export interface CommandInvocation {
  readonly command: SsmCommand;
  readonly instanceId: string;
  /** When the agent polls for it; it stays Pending until then. */
  readonly deliverAtMs: number;
  /** How long the script runs once delivered. */
  readonly executionMs: number;
  readonly fault: InvocationFault | undefined;
  /** Set once the agent has the invocation (the script started then); `result` once it ended, `endedAtMs` when that was. */
  delivered: { readonly atMs: number; result: ShellResult | undefined; endedAtMs: number; readonly script: RunningScript | undefined } | undefined;
  /** Set when delivery was attempted and the node did not answer; the system tries again until the delivery timeout. */
  delayedSinceMs: number | undefined;
  /**
   * Set by CancelCommand: when the cancel takes effect. One not yet delivered is Cancelled at
   * once; one in progress is Cancelling until its agent acts on the cancel, unless it ended first.
   */
  cancelAtMs: number | undefined;
  /** Set when the invocation can never be delivered (host gone or unreachable). */
  undeliverable: { readonly atMs: number; readonly details: "DeliveryTimedOut" | "Undeliverable" } | undefined;
}

export interface InvocationView {
  readonly invocation: CommandInvocation;
  readonly status: InvocationStatus;
  readonly statusDetails: InvocationStatusDetails;
  /** AWS's ResponseCode: -1 until the script has finished. */
  readonly responseCode: number;
  /** When the invocation reached its terminal state, if it has. */
  readonly finishedAtMs: number | undefined;
}
