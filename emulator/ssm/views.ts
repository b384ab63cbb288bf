import type { InvocationView, SsmCommand } from "./types.ts";

const PLUGIN_NAME = "aws:runShellScript";

const finished = (view: InvocationView): boolean => view.status === "Success" || view.status === "Failed";

/** SendCommand's Command shape. */
export function commandView(command: SsmCommand, invocations: readonly InvocationView[]): Record<string, unknown> {
  const done = invocations.filter((view) => view.status !== "InProgress");
  const failed = done.filter((view) => view.status !== "Success");
  const status = done.length < invocations.length ? "InProgress" : failed.length > 0 ? "Failed" : "Success";
  return {
    CommandId: command.commandId,
    DocumentName: command.documentName,
    DocumentVersion: "$DEFAULT",
    Comment: command.comment,
    ExpiresAfter: new Date(command.requestedAtMs + command.timeoutSeconds * 1000),
    Parameters: { commands: command.commands },
    InstanceIds: command.instanceIds,
    Targets: [],
    RequestedDateTime: new Date(command.requestedAtMs),
    Status: status,
    StatusDetails: status,
    MaxConcurrency: "50",
    MaxErrors: "0",
    TargetCount: invocations.length,
    CompletedCount: done.length,
    ErrorCount: failed.length,
    DeliveryTimedOutCount: 0,
    TimeoutSeconds: command.timeoutSeconds,
  };
}

/** GetCommandInvocation's output. Its date-times are strings in this API, not timestamps. */
export function invocationDetail(view: InvocationView): Record<string, unknown> {
  const { invocation } = view;
  const { command } = invocation;
  const done = finished(view);
  const elapsedSeconds = (invocation.finishedAtMs - command.requestedAtMs) / 1000;
  return {
    CommandId: command.commandId,
    InstanceId: invocation.instanceId,
    Comment: command.comment,
    DocumentName: command.documentName,
    DocumentVersion: "$DEFAULT",
    PluginName: PLUGIN_NAME,
    ResponseCode: view.responseCode,
    ExecutionStartDateTime: new Date(command.requestedAtMs).toISOString(),
    ExecutionElapsedTime: done ? `PT${elapsedSeconds}S` : "",
    ExecutionEndDateTime: done ? new Date(invocation.finishedAtMs).toISOString() : "",
    Status: view.status,
    StatusDetails: view.status,
    StandardOutputContent: done ? (invocation.result?.stdout ?? "") : "",
    StandardOutputUrl: "",
    StandardErrorContent: done ? (invocation.result?.stderr ?? "") : "",
    StandardErrorUrl: "",
    CloudWatchOutputConfig: { CloudWatchLogGroupName: "", CloudWatchOutputEnabled: false },
  };
}

/** One entry of ListCommandInvocations, with its plugin output when Details is asked for. */
export function invocationSummary(view: InvocationView, details: boolean): Record<string, unknown> {
  const { invocation } = view;
  const { command } = invocation;
  const done = finished(view);
  return {
    CommandId: command.commandId,
    InstanceId: invocation.instanceId,
    InstanceName: "",
    Comment: command.comment,
    DocumentName: command.documentName,
    DocumentVersion: "$DEFAULT",
    RequestedDateTime: new Date(command.requestedAtMs),
    Status: view.status,
    StatusDetails: view.status,
    StandardOutputUrl: "",
    StandardErrorUrl: "",
    CommandPlugins: details
      ? [
          {
            Name: PLUGIN_NAME,
            Status: view.status,
            StatusDetails: view.status,
            ResponseCode: view.responseCode,
            ResponseStartDateTime: new Date(command.requestedAtMs),
            ResponseFinishDateTime: done ? new Date(invocation.finishedAtMs) : undefined,
            Output: done ? (invocation.result?.stdout ?? "") + (invocation.result?.stderr ?? "") : "",
            StandardOutputUrl: "",
            StandardErrorUrl: "",
          },
        ]
      : [],
    CloudWatchOutputConfig: { CloudWatchLogGroupName: "", CloudWatchOutputEnabled: false },
  };
}
