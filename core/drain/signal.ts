import { DescribeInstanceInformationCommand, ListCommandInvocationsCommand, SendCommandCommand, type CommandInvocationStatus } from "@aws-sdk/client-ssm";
import type { DrainSettings } from "../deploy-settings.ts";
import type { Runtime } from "../runtime.ts";
import { pacedDrainCommand } from "./pacing.ts";
import type { SignalRecord } from "./request.ts";

/** Runs the stage's drainCommand (and undrainCommand) on the instances; IAM allows SendCommand with this document only. */
export const DRAIN_DOCUMENT = "AWS-RunShellScript";

const SSM_TARGETS_PER_COMMAND = 50;
/** DescribeInstanceInformation takes at most 50 instance ids per filter. */
const INFORMATION_IDS_PER_CALL = 50;

/**
 * Which of the instances can receive the drain signal now: SSM-managed nodes whose agent is
 * Online (a stopped or terminated instance is ConnectionLost or not listed; one whose agent never
 * registered is not listed). SendCommand refuses a whole command if one target is not managed.
 */
export async function signalable(rt: Runtime, instanceIds: readonly string[]): Promise<Set<string>> {
  const online = new Set<string>();
  for (let offset = 0; offset < instanceIds.length; offset += INFORMATION_IDS_PER_CALL) {
    const chunk = instanceIds.slice(offset, offset + INFORMATION_IDS_PER_CALL);
    let nextToken: string | undefined;
    do {
      const page = await rt.clients.ssm.send(new DescribeInstanceInformationCommand({ Filters: [{ Key: "InstanceIds", Values: chunk }], NextToken: nextToken }));
      for (const node of page.InstanceInformationList ?? []) {
        if (node.InstanceId !== undefined && node.PingStatus === "Online") online.add(node.InstanceId);
      }
      nextToken = page.NextToken;
    } while (nextToken !== undefined);
  }
  return online;
}

/** Seconds SSM lets a waiting drain command run past its own wait before it stops it (TimedOut). */
const EXECUTION_TIMEOUT_MARGIN_SECONDS = 60;

export interface SignalOptions {
  /** The paced shedding rate (`--rate`); undefined: the app's own. */
  shedRatePerSecond?: number | undefined;
  /** `--wait`: the command returns Success only once the app holds no connection, at most this long (the drain's deadline). */
  waitSeconds: number;
}

/** Runs one shell command on the instances, SSM_TARGETS_PER_COMMAND at a time. */
async function runOnInstances(rt: Runtime, instanceIds: readonly string[], command: string, comment: string, executionTimeoutSeconds?: number): Promise<{ commandId: string; instanceIds: string[] }[]> {
  const sent: { commandId: string; instanceIds: string[] }[] = [];
  for (let offset = 0; offset < instanceIds.length; offset += SSM_TARGETS_PER_COMMAND) {
    const chunk = instanceIds.slice(offset, offset + SSM_TARGETS_PER_COMMAND);
    const response = await rt.clients.ssm.send(
      new SendCommandCommand({
        DocumentName: DRAIN_DOCUMENT,
        InstanceIds: chunk,
        Parameters: { commands: [command], ...(executionTimeoutSeconds === undefined ? {} : { executionTimeout: [String(executionTimeoutSeconds)] }) },
        Comment: comment,
      }),
    );
    if (response.Command?.CommandId !== undefined) sent.push({ commandId: response.Command.CommandId, instanceIds: chunk });
  }
  return sent;
}

/**
 * Tells the app on each instance to shed its connections (SSM `ebb-drain`, with `--rate N` when
 * paced) and to return only once it holds none (`--wait N`): the invocation's Success is the app's
 * own word that it is drained, readable within seconds where a CloudWatch datapoint takes minutes.
 */
export async function sendDrainSignal(rt: Runtime, instanceIds: readonly string[], attempt: number, options: SignalOptions): Promise<SignalRecord[]> {
  if (instanceIds.length === 0) return [];
  const sentAt = rt.clock.now().toISOString();
  const waitSeconds = Math.max(1, Math.ceil(options.waitSeconds));
  const command = `${pacedDrainCommand(rt.stage.drainCommand, options.shedRatePerSecond)} --wait ${waitSeconds}`;
  const sent = await runOnInstances(rt, instanceIds, command, "ebb: shed connections before termination", waitSeconds + EXECUTION_TIMEOUT_MARGIN_SECONDS);
  return sent.map((command) => ({ ...command, attempt, sentAt }));
}

/**
 * The reverse of the drain signal, for instances registered back instead of terminated (an
 * aborted deploy): a drained app passes health checks but refuses connections until told
 * (SSM `ebb-undrain`). Only instances that got the drain signal get this one; safe to repeat.
 */
export async function signalUndrain(rt: Runtime, instanceIds: readonly string[], signal: DrainSettings["signal"]): Promise<string[]> {
  if (signal !== "ssm" || instanceIds.length === 0) return [];
  const sent = await runOnInstances(rt, instanceIds, rt.stage.undrainCommand, "ebb: accept connections again after an aborted drain");
  return sent.map((command) => command.commandId);
}

/** Where one instance's latest drain signal stands. */
export interface SignalStatus {
  attempt: number;
  /** "delivered" once the app took it and holds no connection (Success); "failed" when the invocation ended any other way; "pending" until then. */
  state: "pending" | "delivered" | "failed";
  /** The invocation's Status/StatusDetails, for the audit. */
  detail: string;
}

const FAILED: ReadonlySet<CommandInvocationStatus | string> = new Set(["Failed", "TimedOut", "Cancelled", "Cancelling", "Undeliverable", "Terminated", "InvalidPlatform", "AccessDenied", "DeliveryTimedOut", "ExecutionTimedOut"]);

/**
 * The result of each instance's latest drain signal, from ListCommandInvocations (one call per
 * command still worth asking about). Instances in `settled` (their signal's fate is known) are not asked about.
 */
export async function readSignalStatuses(rt: Runtime, signals: readonly SignalRecord[], settled: ReadonlySet<string>): Promise<Map<string, SignalStatus>> {
  const latest = new Map<string, SignalRecord>();
  for (const signal of signals) {
    for (const id of signal.instanceIds) if (!settled.has(id) && (latest.get(id)?.attempt ?? 0) <= signal.attempt) latest.set(id, signal);
  }
  const statuses = new Map<string, SignalStatus>();
  const toAsk = new Set(latest.values());
  for (const signal of toAsk) {
    const wanted = new Set(signal.instanceIds.filter((id) => latest.get(id) === signal));
    const seen = new Set<string>();
    let nextToken: string | undefined;
    do {
      const page = await rt.clients.ssm.send(new ListCommandInvocationsCommand({ CommandId: signal.commandId, NextToken: nextToken }));
      nextToken = page.NextToken;
      for (const invocation of page.CommandInvocations ?? []) {
        const id = invocation.InstanceId;
        if (id === undefined || !wanted.has(id)) continue;
        seen.add(id);
        const status = invocation.Status ?? "Pending";
        const state = status === "Success" ? "delivered" : FAILED.has(status) ? "failed" : "pending";
        statuses.set(id, { attempt: signal.attempt, state, detail: `${status}/${invocation.StatusDetails ?? status}` });
      }
    } while (nextToken !== undefined);
    // Not listed yet: SSM has not created the invocation (it appears shortly after SendCommand).
    for (const id of wanted) if (!seen.has(id)) statuses.set(id, { attempt: signal.attempt, state: "pending", detail: "Pending/not listed yet" });
  }
  return statuses;
}
