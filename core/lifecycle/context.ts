import type { Runtime } from "../runtime.ts";
import type { GroupView, InstanceView } from "../types.ts";
import { completeAction, hookTimeouts, recordHeartbeat } from "./action.ts";
import type { ActionRef } from "./event.ts";
import { auditAction, createAction, updateAction, type ActionRecord } from "./store.ts";

/** What every step of a hook workflow shares: the action's record, its heartbeats, its completion. */

/** What each hook step returns; the workflow waits waitSeconds (≥ 1) and polls again unless done. */
export interface HookPoll {
  done: boolean;
  waitSeconds: number;
  /** How the action ended, once done. */
  result?: "CONTINUE" | "ABANDON" | "not-active";
}

export const finished = (record: ActionRecord): HookPoll => ({ done: true, waitSeconds: 1, result: record.completion?.result ?? "not-active" });

/** The action's record, created on its first step with the hook's timeouts (the action began when the event was sent, at the latest now). */
export async function openAction(rt: Runtime, ref: ActionRef): Promise<ActionRecord> {
  const now = rt.clock.now();
  const timeouts = await hookTimeouts(rt, ref);
  return createAction(rt, {
    ...ref,
    startedAt: now.toISOString(),
    heartbeatTimeoutSeconds: timeouts.heartbeatTimeoutSeconds,
    globalDeadline: new Date(now.getTime() + timeouts.globalTimeoutSeconds * 1000).toISOString(),
    lastHeartbeatAt: now.toISOString(),
    heartbeats: 0,
  });
}

/** The state the instance must be in for the action to still be open. */
export const waitingState = (ref: ActionRef): string => (ref.kind === "launch" ? "Pending:Wait" : "Terminating:Wait");

export const instanceOf = (group: GroupView, instanceId: string): InstanceView | undefined =>
  group.instances.find((instance) => instance.instanceId === instanceId);

/** Heartbeats are sent at half the HeartbeatTimeout, so one late poll never lets the action time out. */
const heartbeatEveryMs = (record: ActionRecord): number => (record.heartbeatTimeoutSeconds * 1000) / 2;

/** Sends a heartbeat when one is due; returns the record as it is now (completion set when the action turned out to be over). */
export async function heartbeatIfDue(rt: Runtime, record: ActionRecord): Promise<ActionRecord> {
  const nowMs = rt.clock.now().getTime();
  const lastMs = Date.parse(record.lastHeartbeatAt ?? record.startedAt);
  if (nowMs - lastMs < heartbeatEveryMs(record)) return record;
  const answer = await recordHeartbeat(rt, record);
  if (answer === "not-active") return endAction(rt, record, "not-active", "the action ended before Ebb finished (heartbeat refused)");
  return updateAction(rt, record.token, { lastHeartbeatAt: new Date(nowMs).toISOString(), heartbeats: (record.heartbeats ?? 0) + 1 });
}

/** The longest wait before the next poll: the next heartbeat falls due then. */
export function untilNextHeartbeatSeconds(rt: Runtime, record: ActionRecord): number {
  const dueMs = Date.parse(record.lastHeartbeatAt ?? record.startedAt) + heartbeatEveryMs(record);
  return Math.max(1, Math.floor((dueMs - rt.clock.now().getTime()) / 1000));
}

/** Completes the action once (a repeated step finds the completion recorded and does nothing). */
export async function completeOnce(rt: Runtime, record: ActionRecord, result: "CONTINUE" | "ABANDON", reason: string): Promise<ActionRecord> {
  if (record.completion !== undefined) return record;
  const answer = await completeAction(rt, record, result);
  return endAction(rt, record, answer === "completed" ? result : "not-active", answer === "completed" ? reason : `${reason}; the action had already ended`);
}

export async function endAction(rt: Runtime, record: ActionRecord, result: "CONTINUE" | "ABANDON" | "not-active", reason: string): Promise<ActionRecord> {
  const completion = { result, at: rt.clock.now().toISOString(), reason };
  const updated = await updateAction(rt, record.token, {}, { completion });
  await auditAction(rt, record.token, `lifecycle-${result === "not-active" ? "not-active" : "completed"}`, { kind: record.kind, instanceId: record.instanceId, ...completion });
  return updated;
}
