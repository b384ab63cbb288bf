import { audit, updateBatch } from "../deploy-store.ts";
import { beginDrain, decideDrain, observeDrain, type DrainContext } from "../drain.ts";
import { DeployStateError } from "../errors.ts";
import { describeGroup, liveInstances, terminateInstances } from "../fleet.ts";
import type { Runtime } from "../runtime.ts";
import type { BatchRecord, DeployRecord, PollResult } from "../types.ts";
import { loadBatch, firstHealthWait, type BatchRef } from "./batch.ts";
import { watchCapacity } from "./capacity-watch.ts";
import { longestDeregistrationDelay, targetGroupArnsOf } from "./context.ts";

function drainContext(rt: Runtime, record: DeployRecord, batch: BatchRecord, since: Date): DrainContext {
  return {
    policy: record.input.drain,
    since,
    now: rt.clock.now(),
    connectionsAtStart: batch.connectionsAtStart,
    shedRatePerSecond: rt.stage.estimates.shedRatePerSecond,
    metricPeriodSeconds: rt.stage.connectionMetric.periodSeconds,
    deregistrationDelaySeconds: longestDeregistrationDelay(record, rt.stage),
  };
}

export interface DrainPoll extends PollResult {
  timedOut: boolean;
  /** Connections still open on instances not drained yet. */
  remainingConnections: number;
  /** Instances the load balancer cut off (its delay expired with connections open). */
  cut: number;
}

/** Deregisters the batch from every target group and tells the app to shed; the first wait is the predicted drain. */
export async function startBatchDrain(rt: Runtime, ref: BatchRef): Promise<DrainPoll> {
  const { record, batch } = await loadBatch(rt, ref);
  // Recorded first: if anything below fails, every way out knows these instances may be out of the load balancer.
  await updateBatch(rt, batch, {}, { deregisteringAt: rt.clock.now().toISOString() });
  const started = await beginDrain(rt, batch.instanceIds, targetGroupArnsOf(record), record.input.drain.signal);
  const updated = await updateBatch(rt, batch, {}, { deregisteredAt: rt.clock.now().toISOString() });
  await audit(rt, ref.deployId, { step: "drain-started", phase: ref.phase, batchIndex: ref.batchIndex, detail: { ...started } });
  const since = new Date(updated.deregisteredAt ?? "");
  const nothingSeenYet = batch.instanceIds.map((instanceId) => ({ instanceId, gone: false, deregistered: false, fresh: [] }));
  const decision = decideDrain(nothingSeenYet, drainContext(rt, record, updated, since));
  return { done: false, waitSeconds: decision.waitSeconds, timedOut: false, remainingConnections: sum(decision.remaining), cut: 0 };
}

const sum = (values: Record<string, number>): number => Object.values(values).reduce((total, value) => total + value, 0);

/** Measures the drain (datapoints newer than the deregistration, the load balancer's own view) and decides. */
export async function checkBatchDrain(rt: Runtime, ref: BatchRef): Promise<DrainPoll> {
  const { record, batch } = await loadBatch(rt, ref);
  if (batch.deregisteredAt === undefined) throw new DeployStateError(`batch ${ref.batchIndex} of ${ref.deployId} was never deregistered`);
  const group = await describeGroup(rt.clients.autoScaling, record.autoScalingGroupName);
  const watch = await watchCapacity(rt, ref, record, batch, group);
  if (watch.paused) return { done: false, waitSeconds: watch.waitSeconds, timedOut: false, remainingConnections: sum(batch.connectionsAtStart), cut: 0 };
  const liveIds = new Set(liveInstances(group).map((instance) => instance.instanceId));
  const since = new Date(batch.deregisteredAt);
  const observations = await observeDrain(rt, batch.instanceIds, liveIds, targetGroupArnsOf(record), since);
  const decision = decideDrain(observations, drainContext(rt, record, batch, since));
  if (decision.done) {
    await updateBatch(
      rt,
      batch,
      { drainTimedOut: decision.timedOut, remainingConnections: decision.remaining, cutInstanceIds: decision.cut },
      { drainedAt: rt.clock.now().toISOString() },
    );
    await audit(rt, ref.deployId, {
      step: decision.cut.length > 0 ? "drain-cut" : decision.timedOut ? "drain-timed-out" : "drained",
      phase: ref.phase,
      batchIndex: ref.batchIndex,
      detail: { remaining: decision.remaining, drained: decision.drained, cut: decision.cut },
    });
  }
  return { done: decision.done, waitSeconds: decision.waitSeconds, timedOut: decision.timedOut, remainingConnections: sum(decision.remaining), cut: decision.cut.length };
}

/**
 * Terminates the drained batch through the ASG: replace mode keeps the desired capacity (the ASG
 * launches replacements on the phase's version), surge mode decrements it. Refuses an undrained batch.
 */
export async function terminateDrainedInstances(rt: Runtime, ref: BatchRef): Promise<PollResult> {
  const context = await loadBatch(rt, ref);
  const { record, batch } = context;
  if (batch.drainedAt === undefined) throw new DeployStateError(`batch ${ref.batchIndex} of ${ref.deployId} is not drained; refusing to terminate it`);
  const group = await describeGroup(rt.clients.autoScaling, record.autoScalingGroupName);
  const terminated = await terminateInstances(rt.clients.autoScaling, group, batch.instanceIds, batch.mode === "surge");
  const now = rt.clock.now().toISOString();
  const updated = await updateBatch(rt, batch, {}, batch.mode === "replace" ? { terminatedAt: now, healthStartedAt: now } : { terminatedAt: now });
  await audit(rt, ref.deployId, { step: "terminated", phase: ref.phase, batchIndex: ref.batchIndex, detail: { terminated } });
  return batch.mode === "replace" ? firstHealthWait(rt, { record, batch: updated }) : { done: true, waitSeconds: 1 };
}
