import type { InvocationView, SsmCommand } from "./types.ts";

const PLUGIN_NAME = "aws:runShellScript";

const isTerminal = (view: InvocationView): boolean => view.finishedAtMs !== undefined;
/** Undeliverable and delivery timeouts do not count against MaxErrors (Understanding command statuses). */
const neverDelivered = (view: InvocationView): boolean => view.statusDetails === "Undeliverable" || view.statusDetails === "DeliveryTimedOut";
/** What counts against MaxErrors: failures and execution timeouts, not a cancel. */
const isError = (view: InvocationView): boolean => !neverDelivered(view) && view.status !== "Success" && view.status !== "Cancelled";

/**
 * The command's own status from its invocations, with SendCommand's default MaxErrors of 0: one
 * failed or execution-timed-out invocation fails the command; invocations that were never
 * delivered leave it Success when another succeeded (Incomplete for a delivery timeout), Failed
 * when none did.
 */
function commandStatus(invocations: readonly InvocationView[]): { status: string; details: string } {
  if (invocations.every((view) => view.status === "Pending")) return { status: "Pending", details: "Pending" };
  if (!invocations.every(isTerminal)) {
    return invocations.some((view) => view.status === "Cancelling") ? { status: "Cancelling", details: "Cancelling" } : { status: "InProgress", details: "InProgress" };
  }
  if (invocations.some((view) => view.status === "Cancelled")) return { status: "Cancelled", details: "Cancelled" };
  const failed = invocations.find(isError);
  if (failed !== undefined) return failed.statusDetails === "ExecutionTimedOut" ? { status: "TimedOut", details: "ExecutionTimedOut" } : { status: "Failed", details: "Failed" };
  if (invocations.every((view) => view.status === "Success")) return { status: "Success", details: "Success" };
  if (invocations.some((view) => view.status === "Success")) {
    return { status: "Success", details: invocations.some((view) => view.statusDetails === "DeliveryTimedOut") ? "Incomplete" : "Success" };
  }
  return invocations.every((view) => view.statusDetails === "DeliveryTimedOut")
    ? { status: "TimedOut", details: "DeliveryTimedOut" }
    : { status: "Failed", details: "Failed" };
}

/** SendCommand's Command shape. */
export function commandView(command: SsmCommand, invocations: readonly InvocationView[]): Record<string, unknown> {
  const done = invocations.filter(isTerminal);
  const { status, details } = commandStatus(invocations);
  return {
    CommandId: command.commandId,
    DocumentName: command.documentName,
    DocumentVersion: "$DEFAULT",
    Comment: command.comment,
    ExpiresAfter: new Date(command.requestedAtMs + command.timeoutSeconds * 1000),
    Parameters: { commands: command.commands, executionTimeout: [String(command.executionTimeoutSeconds)] },
    InstanceIds: command.instanceIds,
    Targets: [],
    RequestedDateTime: new Date(command.requestedAtMs),
    Status: status,
    StatusDetails: details,
    MaxConcurrency: "50",
    MaxErrors: "0",
    TargetCount: invocations.length,
    CompletedCount: done.length,
    ErrorCount: done.filter(isError).length,
    DeliveryTimedOutCount: done.filter((view) => view.statusDetails === "DeliveryTimedOut").length,
    TimeoutSeconds: command.timeoutSeconds,
  };
}

const isoOrEmpty = (epochMs: number | undefined): string => (epochMs === undefined ? "" : new Date(epochMs).toISOString());

/** GetCommandInvocation's output. Its date-times are strings in this API, not timestamps. */
export function invocationDetail(view: InvocationView): Record<string, unknown> {
  const { invocation } = view;
  const { command, delivered } = invocation;
  const startedAtMs = delivered?.atMs;
  const done = isTerminal(view);
  const elapsedSeconds = startedAtMs !== undefined && view.finishedAtMs !== undefined ? (view.finishedAtMs - startedAtMs) / 1000 : undefined;
  return {
    CommandId: command.commandId,
    InstanceId: invocation.instanceId,
    Comment: command.comment,
    DocumentName: command.documentName,
    DocumentVersion: "$DEFAULT",
    PluginName: PLUGIN_NAME,
    ResponseCode: view.responseCode,
    ExecutionStartDateTime: isoOrEmpty(startedAtMs),
    ExecutionElapsedTime: elapsedSeconds === undefined ? "" : `PT${elapsedSeconds}S`,
    ExecutionEndDateTime: startedAtMs === undefined ? "" : isoOrEmpty(view.finishedAtMs),
    Status: view.status,
    StatusDetails: view.statusDetails,
    StandardOutputContent: done ? (delivered?.result?.stdout ?? "") : "",
    StandardOutputUrl: "",
    StandardErrorContent: done ? (delivered?.result?.stderr ?? "") : "",
    StandardErrorUrl: "",
    CloudWatchOutputConfig: { CloudWatchLogGroupName: "", CloudWatchOutputEnabled: false },
  };
}

/** One entry of ListCommandInvocations, with its plugin output when Details is asked for. */
export function invocationSummary(view: InvocationView, details: boolean): Record<string, unknown> {
  const { invocation } = view;
  const { command, delivered } = invocation;
  const done = isTerminal(view);
  return {
    CommandId: command.commandId,
    InstanceId: invocation.instanceId,
    InstanceName: "",
    Comment: command.comment,
    DocumentName: command.documentName,
    DocumentVersion: "$DEFAULT",
    RequestedDateTime: new Date(command.requestedAtMs),
    Status: view.status,
    StatusDetails: view.statusDetails,
    StandardOutputUrl: "",
    StandardErrorUrl: "",
    CommandPlugins: details
      ? [
          {
            Name: PLUGIN_NAME,
            Status: view.status,
            StatusDetails: view.statusDetails,
            ResponseCode: view.responseCode,
            ResponseStartDateTime: delivered === undefined ? undefined : new Date(delivered.atMs),
            ResponseFinishDateTime: done && delivered !== undefined && view.finishedAtMs !== undefined ? new Date(view.finishedAtMs) : undefined,
            Output: done ? (delivered?.result?.stdout ?? "") + (delivered?.result?.stderr ?? "") : "",
            StandardOutputUrl: "",
            StandardErrorUrl: "",
          },
        ]
      : [],
    CloudWatchOutputConfig: { CloudWatchLogGroupName: "", CloudWatchOutputEnabled: false },
  };
}
