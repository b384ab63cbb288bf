import { latestConnections } from "../connections.ts";
import { checkDrain, finishDrain, startDrain } from "../drain/pipeline.ts";
import { deregisterOrder } from "../drain/order.ts";
import type { DrainRequest } from "../drain/request.ts";
import { describeGroup } from "../fleet.ts";
import type { Runtime } from "../runtime.ts";
import { describeTargetGroupSettings, targetGroupArnsFor } from "../targets.ts";
import type { GroupView } from "../types.ts";
import { completeOnce, endAction, finished, heartbeatIfDue, instanceOf, openAction, untilNextHeartbeatSeconds, waitingState, type HookPoll } from "./context.ts";
import type { ActionRef } from "./event.ts";
import { auditAction, getAction, updateAction, type ActionRecord } from "./store.ts";

/**
 * The terminate hook: the instance, held in Terminating:Wait, drains through the one drain
 * pipeline (deregistered if still registered, told to shed, measured), with heartbeats so that a
 * drain longer than the HeartbeatTimeout runs up to the global timeout; the step after the drain
 * completes the action with CONTINUE. With target groups attached to the ASG (`asg` mode) the
 * ASG has already deregistered the instance and waited the deregistration delay before this
 * hook runs: what the delay cut is gone, and the pipeline finds it deregistered.
 */

/** Leaves a minute of the global timeout for the after-drain step. */
const GLOBAL_MARGIN_SECONDS = 60;

function drainRequest(rt: Runtime, record: ActionRecord, group: GroupView): DrainRequest<ActionRecord> {
  const policy = rt.stage.lifecycleHooks.drain;
  const globalLeftSeconds = Math.floor((Date.parse(record.globalDeadline) - Date.parse(record.startedAt)) / 1000) - GLOBAL_MARGIN_SECONDS;
  const delay = record.deregistrationDelaySeconds ?? 300;
  const timeoutSeconds = Math.max(0, Math.min(policy.timeoutSeconds, globalLeftSeconds));
  const connections = record.connectionsAtStart ?? {};
  return {
    cause: `terminate lifecycle action ${record.token} (${record.instanceId})`,
    instanceIds: [record.instanceId],
    targetGroupArns: targetGroupArnsFor(group, rt.stage),
    policy: { ...policy, timeoutSeconds },
    deregistrationDelaySeconds: delay,
    connectionsAtStart: connections,
    deregister: record.deregisterOrder ?? deregisterOrder({ ...policy, timeoutSeconds }, rt.stage.estimates.shedRatePerSecond, { [record.instanceId]: connections[record.instanceId] ?? 0 }, delay),
    journal: {
      state: record,
      record: (set, once) => updateAction(rt, record.token, set, once),
      audit: (step, detail) => auditAction(rt, record.token, step, detail),
    },
    afterDrain: async (_rt, outcome) => {
      const current = (await getAction(rt, record.token)) ?? record;
      const how = outcome.cut.length > 0 ? "drain ended with connections cut" : outcome.timedOut ? "drain timed out" : "drained";
      return completeOnce(rt, current, "CONTINUE", Object.keys(outcome.unsignalled).length > 0 ? `${how} (by the load balancer view alone)` : how);
    },
  };
}

async function waitingGroup(rt: Runtime, record: ActionRecord): Promise<GroupView | ActionRecord> {
  const group = await describeGroup(rt.clients.autoScaling, record.autoScalingGroupName);
  const state = instanceOf(group, record.instanceId)?.lifecycleState ?? "gone";
  if (state !== waitingState(record)) return endAction(rt, record, "not-active", `the instance is ${state}, not ${waitingState(record)}`);
  return group;
}

const isGroup = (value: GroupView | ActionRecord): value is GroupView => "instances" in value;

export async function startTerminate(rt: Runtime, ref: ActionRef): Promise<HookPoll> {
  const opened = await openAction(rt, ref);
  if (opened.completion !== undefined) return finished(opened);
  const group = await waitingGroup(rt, opened);
  if (!isGroup(group)) return finished(group);
  const settings = await describeTargetGroupSettings(rt.clients.elbv2, targetGroupArnsFor(group, rt.stage));
  const delay = Math.max(0, ...settings.map((each) => each.deregistrationDelaySeconds));
  const connectionsAtStart = await latestConnections(rt.clients.cloudWatch, rt.stage.connectionMetric, [ref.instanceId], rt.clock.now());
  const prepared = await updateAction(rt, ref.token, {}, { deregistrationDelaySeconds: delay, connectionsAtStart });
  const request = drainRequest(rt, prepared, group);
  const record = await updateAction(rt, ref.token, {}, { deregisterOrder: request.deregister ?? "first" });
  const poll = await startDrain(rt, { ...request, journal: { ...request.journal, state: record } });
  return { done: false, waitSeconds: Math.max(1, Math.min(poll.waitSeconds, untilNextHeartbeatSeconds(rt, record))) };
}

export async function checkTerminate(rt: Runtime, ref: ActionRef): Promise<HookPoll> {
  let record = (await getAction(rt, ref.token)) ?? (await openAction(rt, ref));
  if (record.completion !== undefined) return finished(record);
  record = await heartbeatIfDue(rt, record);
  if (record.completion !== undefined) return finished(record);
  const group = await waitingGroup(rt, record);
  if (!isGroup(group)) return finished(group);
  const request = drainRequest(rt, record, group);
  const poll = await checkDrain(rt, request, group);
  if (!poll.done) return { done: false, waitSeconds: Math.max(1, Math.min(poll.waitSeconds, untilNextHeartbeatSeconds(rt, record))) };
  const drained = (await getAction(rt, ref.token)) ?? record;
  return finished(await finishDrain(rt, { ...request, journal: { ...request.journal, state: drained } }));
}
