import { EnterStandbyCommand } from "@aws-sdk/client-auto-scaling";
import { z } from "zod";
import { latestConnections } from "../connections.ts";
import { deregisterOrder } from "../drain/order.ts";
import { checkDrain, finishDrain, startDrain } from "../drain/pipeline.ts";
import type { DrainPoll, DrainRequest } from "../drain/request.ts";
import { signalUndrain } from "../drain/signal.ts";
import { DrainNotFinished } from "../errors.ts";
import { describeGroup, terminateInstances } from "../fleet.ts";
import { acquireLock, releaseLock, renewLock } from "../lock.ts";
import type { Runtime } from "../runtime.ts";
import { describeTargetGroupSettings, describeTargets, notServingByGroup, registerInstances, targetGroupArnsFor } from "../targets.ts";
import { drainableGroup } from "./eligibility.ts";
import { auditInstanceDrain, createInstanceDrain, getInstanceDrain, updateInstanceDrain, type InstanceDrainRecord } from "./record.ts";

/**
 * An operator's drain of one instance (`ebb drain`), under the group's lock, through the one
 * drain pipeline; only the step after the drain is its own: Standby with a decrement (the
 * instance is kept, undo with ExitStandby) or termination without one (the ASG replaces it).
 * Left deregistered but InService, the reconciler would register it back.
 */

export const instanceDrainInputSchema = z.strictObject({
  drainId: z.string().min(1).max(80),
  instanceId: z.string().regex(/^i-[0-9a-zA-Z]+$/, "an EC2 instance id such as i-0abc…"),
  then: z.enum(["standby", "terminate"]),
  /** The error that sent the workflow to its way out (a Catch's ResultPath). */
  failure: z.object({ Error: z.string(), Cause: z.string().optional() }).optional(),
});
export type InstanceDrainInput = z.output<typeof instanceDrainInputSchema>;

export interface InstanceDrainSummary {
  drainId: string;
  instanceId: string;
  groupName?: string;
  then: InstanceDrainInput["then"];
  outcome: string;
  timedOut: boolean;
  remainingConnections: number;
  cut: number;
  lockReleased: boolean;
}

function drainRequest(rt: Runtime, record: InstanceDrainRecord): DrainRequest<string> {
  const policy = rt.stage.deployDefaults.drain;
  return {
    cause: `drain ${record.drainId} (${record.instanceId}, then ${record.then})`,
    instanceIds: [record.instanceId],
    targetGroupArns: record.targetGroupArns,
    policy,
    deregistrationDelaySeconds: record.deregistrationDelaySeconds,
    connectionsAtStart: record.connectionsAtStart,
    deregister: record.deregisterOrder,
    journal: {
      state: record,
      record: (set, once) => updateInstanceDrain(rt, record.drainId, set, once),
      audit: (step, detail) => auditInstanceDrain(rt, record.drainId, step, detail),
    },
    afterDrain: async () => {
      const group = await describeGroup(rt.clients.autoScaling, record.groupName);
      const state = group.instances.find((instance) => instance.instanceId === record.instanceId)?.lifecycleState;
      if (record.then === "terminate") {
        // No decrement: the ASG launches the replacement.
        const terminated = await terminateInstances(rt.clients.autoScaling, group, [record.instanceId], false);
        await auditInstanceDrain(rt, record.drainId, "terminated", { terminated });
        return terminated.length > 0 ? "terminated" : `already ${state ?? "gone"}`;
      }
      // Left the group or went on its way out during the drain: nothing to put in Standby.
      if (state !== "InService" && state !== "EnteringStandby" && state !== "Standby") return `already ${state ?? "gone"}`;
      if (state === "InService") {
        await rt.clients.autoScaling.send(new EnterStandbyCommand({ AutoScalingGroupName: record.groupName, InstanceIds: [record.instanceId], ShouldDecrementDesiredCapacity: true }));
      }
      // Out of the load balancer now, so the app may take connections again once it is back (ExitStandby).
      const commandIds = await signalUndrain(rt, [record.instanceId], policy.signal);
      await auditInstanceDrain(rt, record.drainId, "standby", { from: state ?? "gone", undrainCommandIds: commandIds });
      return "standby";
    },
  };
}

/** A poll never waits past a quarter of the lease: each check renews the lock. */
const pollOf = (rt: Runtime, poll: DrainPoll): DrainPoll => ({ ...poll, waitSeconds: Math.max(1, Math.min(poll.waitSeconds, Math.floor(rt.stage.lockLeaseSeconds / 4))) });

async function requireRecord(rt: Runtime, drainId: string): Promise<InstanceDrainRecord> {
  const record = await getInstanceDrain(rt, drainId);
  if (record === undefined) throw new DrainNotFinished(`drain ${drainId} was never started`);
  return record;
}

/** Checks the instance, takes the group's lock, records the drain, and starts it. Safe to repeat. */
export async function startInstanceDrain(rt: Runtime, input: InstanceDrainInput): Promise<DrainPoll> {
  let record = await getInstanceDrain(rt, input.drainId);
  if (record === undefined) {
    const group = await drainableGroup(rt, input.instanceId, input.then);
    await acquireLock(rt, group.name, input.drainId, "drain");
    const targetGroupArns = targetGroupArnsFor(group, rt.stage);
    const settings = await describeTargetGroupSettings(rt.clients.elbv2, targetGroupArns);
    const delay = Math.max(0, ...settings.map((each) => each.deregistrationDelaySeconds));
    const connectionsAtStart = await latestConnections(rt.clients.cloudWatch, rt.stage.connectionMetric, [input.instanceId], rt.clock.now());
    record = await createInstanceDrain(rt, {
      drainId: input.drainId, instanceId: input.instanceId, groupName: group.name, then: input.then,
      startedAt: rt.clock.now().toISOString(), targetGroupArns, deregistrationDelaySeconds: delay, connectionsAtStart,
      deregisterOrder: deregisterOrder(rt.stage.deployDefaults.drain, rt.stage.estimates.shedRatePerSecond, connectionsAtStart, delay),
    });
  } else {
    await renewLock(rt, record.groupName, record.drainId);
  }
  return pollOf(rt, await startDrain(rt, drainRequest(rt, record)));
}

export async function checkInstanceDrain(rt: Runtime, input: InstanceDrainInput): Promise<DrainPoll> {
  const record = await requireRecord(rt, input.drainId);
  await renewLock(rt, record.groupName, record.drainId);
  const group = await describeGroup(rt.clients.autoScaling, record.groupName);
  return pollOf(rt, await checkDrain(rt, drainRequest(rt, record), group));
}

/** A drain that failed part way: the instance serves again (told to accept connections, registered back) if it is still InService. */
async function restoreServing(rt: Runtime, record: InstanceDrainRecord): Promise<string[]> {
  if (record.deregisteringAt === undefined && record.drainStartedAt === undefined) return [];
  const group = await describeGroup(rt.clients.autoScaling, record.groupName);
  const inService = group.instances.some((instance) => instance.instanceId === record.instanceId && instance.lifecycleState === "InService");
  if (!inService) return [];
  await signalUndrain(rt, [record.instanceId], rt.stage.deployDefaults.drain.signal);
  const missing = notServingByGroup(await describeTargets(rt.clients.elbv2, record.targetGroupArns, [record.instanceId]), record.targetGroupArns);
  const restored: string[] = [];
  for (const [arn, ids] of missing) {
    await registerInstances(rt.clients.elbv2, [arn], ids);
    if (ids.length > 0) restored.push(arn);
  }
  return restored;
}

/** Every way out: the step after the drain (only when drained and nothing failed), otherwise the instance restored; the lock released. */
export async function finishInstanceDrain(rt: Runtime, input: InstanceDrainInput): Promise<InstanceDrainSummary> {
  const record = await getInstanceDrain(rt, input.drainId);
  const failed = input.failure === undefined ? undefined : `failed: ${input.failure.Error}`;
  if (record === undefined) {
    return { drainId: input.drainId, instanceId: input.instanceId, then: input.then, outcome: failed ?? "never started", timedOut: false, remainingConnections: 0, cut: 0, lockReleased: false };
  }
  let outcome = record.outcome;
  if (outcome === undefined) {
    if (failed === undefined && record.drainedAt !== undefined) outcome = await finishDrain(rt, drainRequest(rt, record));
    else {
      const restoredIn = await restoreServing(rt, record);
      outcome = failed ?? "failed: not drained";
      await auditInstanceDrain(rt, record.drainId, "drain-abandoned", { failure: input.failure ?? null, restoredIn });
    }
  }
  const lockReleased = (await releaseLock(rt, record.groupName, record.drainId)) || record.lockReleased === true;
  const done = await updateInstanceDrain(rt, record.drainId, { lockReleased }, { outcome, finishedAt: rt.clock.now().toISOString() });
  await auditInstanceDrain(rt, record.drainId, "drain-finished", { outcome: done.outcome ?? outcome, lockReleased });
  const remaining = Object.values(done.remainingConnections ?? {}).reduce((total, value) => total + value, 0);
  return {
    drainId: done.drainId, instanceId: done.instanceId, groupName: done.groupName, then: done.then, outcome: done.outcome ?? outcome,
    timedOut: done.drainTimedOut ?? false, remainingConnections: remaining, cut: done.cutInstanceIds?.length ?? 0, lockReleased,
  };
}
