import { audit, updateBatch } from "../deploy-store.ts";
import { checkDrain, finishDrain, startDrain } from "../drain/pipeline.ts";
import { pacedShedRate } from "../drain/pacing.ts";
import type { DrainPoll, DrainRequest } from "../drain/request.ts";
import { DrainNotFinished } from "../errors.ts";
import { describeGroup, liveInstances, terminateInstances } from "../fleet.ts";
import type { Runtime } from "../runtime.ts";
import type { BatchRecord, DeployRecord, PollResult } from "../types.ts";
import { loadBatch, firstHealthWait, type BatchRef } from "./batch.ts";
import { watchCapacity } from "./capacity-watch.ts";
import { longestDeregistrationDelay, targetGroupArnsOf } from "./context.ts";
import { configuredCapacity, expectCapacity, noticeCapacityChange } from "./desired-capacity.ts";

export type { DrainPoll } from "../drain/request.ts";

/**
 * A deploy batch's drain through the one drain pipeline: the batch record is its journal, the
 * deploy's audit log its audit, and the step after the drain terminates through the ASG (replace
 * mode keeps the desired capacity so the ASG launches replacements on the phase's version; surge
 * mode decrements it).
 */
function batchDrain(rt: Runtime, ref: BatchRef, record: DeployRecord, batch: BatchRecord): DrainRequest<PollResult> {
  const { maxReconnectsPerMinute, timeoutSeconds } = record.input.drain;
  const budget = { maxReconnectsPerMinute, timeoutSeconds, appShedRatePerSecond: rt.stage.estimates.shedRatePerSecond };
  const counts = batch.instanceIds.map((id) => batch.connectionsAtStart[id] ?? 0);
  return {
    ...(maxReconnectsPerMinute === undefined ? {} : { shedRatePerSecond: pacedShedRate(budget, counts) }),
    cause: `deploy ${ref.deployId} ${ref.phase} batch ${ref.batchIndex}`,
    instanceIds: batch.instanceIds,
    targetGroupArns: targetGroupArnsOf(record),
    policy: record.input.drain,
    deregistrationDelaySeconds: longestDeregistrationDelay(record, rt.stage),
    connectionsAtStart: batch.connectionsAtStart,
    journal: {
      state: batch,
      record: (set, once) => updateBatch(rt, batch, set, once),
      audit: (step, detail) => audit(rt, ref.deployId, { step, phase: ref.phase, batchIndex: ref.batchIndex, detail }),
    },
    afterDrain: async () => {
      const group = await describeGroup(rt.clients.autoScaling, record.autoScalingGroupName);
      let noticed = await noticeCapacityChange(rt, record, group);
      // A surge takes back only what it added: below the configured capacity the ASG replaces what it terminates.
      const surplus = batch.mode === "surge" ? Math.max(0, group.desiredCapacity - configuredCapacity(noticed)) : 0;
      const leaving = new Set(group.instances.filter((instance) => !liveInstances(group).includes(instance)).map((instance) => instance.instanceId));
      const decrementing = batch.instanceIds.filter((id) => !leaving.has(id)).slice(0, surplus);
      const terminated: string[] = [];
      let desired = group.desiredCapacity;
      for (const id of decrementing) {
        // Expected before each decrement, so a retry after a partial failure finds only the deploy's own values.
        desired -= 1;
        noticed = await expectCapacity(rt, noticed, desired);
        terminated.push(...(await terminateInstances(rt.clients.autoScaling, group, [id], true)));
      }
      const rest = batch.instanceIds.filter((id) => !decrementing.includes(id));
      terminated.push(...(await terminateInstances(rt.clients.autoScaling, group, rest, false)));
      const now = rt.clock.now().toISOString();
      const updated = await updateBatch(rt, batch, {}, batch.mode === "replace" ? { terminatedAt: now, healthStartedAt: now } : { terminatedAt: now });
      await audit(rt, ref.deployId, { step: "terminated", phase: ref.phase, batchIndex: ref.batchIndex, detail: { terminated } });
      return batch.mode === "replace" ? firstHealthWait(rt, { record, batch: updated }) : { done: true, waitSeconds: 1 };
    },
  };
}

/** Deregisters the batch from every target group and tells the app to shed; the first wait is the predicted drain. */
export async function startBatchDrain(rt: Runtime, ref: BatchRef): Promise<DrainPoll> {
  const { record, batch } = await loadBatch(rt, ref);
  return startDrain(rt, batchDrain(rt, ref, record, batch));
}

/** One poll of the batch's drain; paused (not decided) while healthy capacity the deploy did not take away is lost. */
export async function checkBatchDrain(rt: Runtime, ref: BatchRef): Promise<DrainPoll> {
  const { record, batch } = await loadBatch(rt, ref);
  const request = batchDrain(rt, ref, record, batch);
  if (batch.deregisteredAt === undefined) throw new DrainNotFinished(`${request.cause} was never deregistered`);
  const group = await describeGroup(rt.clients.autoScaling, record.autoScalingGroupName);
  const watch = await watchCapacity(rt, ref, record, batch, group);
  if (watch.paused) {
    const remainingConnections = Object.values(batch.connectionsAtStart).reduce((total, value) => total + value, 0);
    return { done: false, waitSeconds: watch.waitSeconds, timedOut: false, remainingConnections, cut: 0, unsignalled: 0 };
  }
  return checkDrain(rt, request, group);
}

/** Terminates the drained batch through the ASG (the pipeline's after-drain step); refuses an undrained batch. */
export async function terminateDrainedInstances(rt: Runtime, ref: BatchRef): Promise<PollResult> {
  const { record, batch } = await loadBatch(rt, ref);
  return finishDrain(rt, batchDrain(rt, ref, record, batch));
}
