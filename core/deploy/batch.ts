import { assertNoRollbackAlarm } from "../alarms.ts";
import { latestConnections } from "../connections.ts";
import { audit, createBatch, getBatch, getDeploy, requireBatch, updateBatch } from "../deploy-store.ts";
import { BatchCannotStart } from "../errors.ts";
import type { BatchSelection } from "../batch-selection.ts";
import { healthCheckIntervalSeconds } from "../health.ts";
import { describeGroup, liveInstances, setCapacity } from "../fleet.ts";
import type { Runtime } from "../runtime.ts";
import type { BatchRecord, DeployPhase, DeployRecord, GroupView, PollResult } from "../types.ts";
import { abandonHeldLaunches, failedSurgeSurplus } from "./abandon-launches.ts";
import { servingIds, watchCapacity } from "./capacity-watch.ts";
import { batchDueSince, batchMode, chooseBatch, phaseBatchCount, remainingWork } from "./batch-plan.ts";
import { firstHealthySeconds, phaseTargetVersion, snapshotOf } from "./context.ts";
import { configuredCapacity, expectCapacity, noticeCapacityChange } from "./desired-capacity.ts";

/** Which batch a step of the batch workflow works on. */
export interface BatchRef {
  deployId: string;
  phase: DeployPhase;
  batchIndex: number;
}

export interface BatchContext {
  record: DeployRecord;
  batch: BatchRecord;
}

/** Loads the deploy and the batch; while deploying (not rolling back) a firing rollback alarm stops everything. */
export async function loadBatch(rt: Runtime, ref: BatchRef): Promise<BatchContext> {
  const record = await getDeploy(rt, ref.deployId);
  if (ref.phase === "deploy") await assertNoRollbackAlarm(rt.clients.cloudWatch, record.input.rollbackAlarms, new Date(record.startedAt));
  const batch = await requireBatch(rt, ref.deployId, ref.phase, ref.batchIndex);
  return { record, batch };
}

export interface PreparedBatch {
  mode: BatchRecord["mode"];
  empty: boolean;
  /** Work remains but nothing may start now (launching instances, or capacity to keep): look again after waitSeconds. */
  waiting: boolean;
  waitSeconds: number;
  instanceCount: number;
  expectedNewInstances: number;
}

const summary = (batch: BatchRecord): PreparedBatch => ({
  mode: batch.mode,
  empty: batch.instanceIds.length === 0,
  waiting: false,
  waitSeconds: 1,
  instanceCount: batch.instanceIds.length,
  expectedNewInstances: batch.expectedNewInstances,
});

/** Nothing may start yet: wait a health-check interval, up to health.timeoutSeconds after the batch was due. */
async function waitToStart(rt: Runtime, ref: BatchRef, record: DeployRecord, selection: BatchSelection): Promise<PreparedBatch> {
  const since = await batchDueSince(rt, record, ref.phase, ref.batchIndex);
  const waitedSeconds = (rt.clock.now().getTime() - since.getTime()) / 1000;
  const why = [
    selection.notInService.length > 0 ? `${selection.notInService.length} instance(s) not InService yet (${selection.notInService.join(", ")})` : "",
    selection.heldForCapacity.length > 0
      ? `${selection.heldForCapacity.length} serving instance(s) held back so that minHealthyPercent ${record.input.minHealthyPercent} holds (${selection.servingBudget} may leave service now)`
      : "",
  ].filter((part) => part !== "").join("; ");
  await audit(rt, ref.deployId, { step: "batch-waiting", phase: ref.phase, batchIndex: ref.batchIndex, detail: { ...selection, waitedSeconds } });
  if (waitedSeconds >= record.input.health.timeoutSeconds) {
    throw new BatchCannotStart(`batch ${ref.batchIndex + 1} (${ref.phase}) could not start within health.timeoutSeconds ${record.input.health.timeoutSeconds} s: ${why}`);
  }
  const waitSeconds = healthCheckIntervalSeconds(snapshotOf(record).targetGroups);
  return { mode: record.input.mode, empty: false, waiting: true, waitSeconds, instanceCount: 0, expectedNewInstances: 0 };
}

/**
 * The rolled-back release's launches still held by a launch hook, abandoned (core/deploy/abandon-launches.ts).
 * In surge mode a held launch may be the failed surge's extra capacity: the ASG must not
 * replace it, so the desired capacity comes down with it, as the surge batch's termination
 * would have brought it down.
 */
async function abandonedLaunches(rt: Runtime, ref: BatchRef, record: DeployRecord, group: GroupView, mode: BatchRecord["mode"], notInService: readonly string[]): Promise<string[]> {
  const held = new Set(notInService);
  const abandoned = await abandonHeldLaunches(rt, record, remainingWork(record, ref.phase, group).filter((instance) => held.has(instance.instanceId)));
  if (abandoned.length === 0) return abandoned;
  const surplus = mode === "surge" ? Math.min(abandoned.length, await failedSurgeSurplus(rt, record, group)) : 0;
  if (surplus > 0) await setCapacity(rt.clients.autoScaling, group, group.desiredCapacity - surplus);
  await audit(rt, ref.deployId, { step: "launches-abandoned", phase: ref.phase, batchIndex: ref.batchIndex, detail: { instanceIds: abandoned, desiredCapacityLoweredBy: surplus } });
  return abandoned;
}

/**
 * Starts a batch: checks the alarms, chooses its instances against the fleet's health now
 * (core/deploy/batch-plan.ts), and records them, which instances exist now (anything else later
 * is new) and how many new ones to wait for. Waits while work remains that may not start yet.
 */
export async function prepareBatch(rt: Runtime, ref: BatchRef): Promise<PreparedBatch> {
  let record = await getDeploy(rt, ref.deployId);
  if (ref.phase === "deploy") await assertNoRollbackAlarm(rt.clients.cloudWatch, record.input.rollbackAlarms, new Date(record.startedAt));
  const existing = await getBatch(rt, ref.deployId, ref.phase, ref.batchIndex);
  if (existing !== undefined) return summary(existing);

  const group = await describeGroup(rt.clients.autoScaling, record.autoScalingGroupName);
  record = await noticeCapacityChange(rt, record, group);
  const live = liveInstances(group);
  const mode = batchMode(record, ref.phase, ref.batchIndex, group);
  const selection = await chooseBatch(rt, record, ref.phase, group, mode);
  if (selection.remaining > 0 && selection.instanceIds.length === 0) {
    if (ref.phase === "rollback" && (await abandonedLaunches(rt, ref, record, group, mode, selection.notInService)).length > 0) {
      return { mode, empty: false, waiting: true, waitSeconds: healthCheckIntervalSeconds(snapshotOf(record).targetGroups), instanceCount: 0, expectedNewInstances: 0 };
    }
    return waitToStart(rt, ref, record, selection);
  }
  const instanceIds = selection.instanceIds;
  const inBatch = new Set(instanceIds);
  const servingAtStart = [...(await servingIds(rt, record, group, live.map((instance) => instance.instanceId).filter((id) => !inBatch.has(id))))];
  const surgeDesiredCapacity = configuredCapacity(record) + instanceIds.length;
  const expectedNewInstances = mode === "surge" ? Math.max(0, surgeDesiredCapacity - group.desiredCapacity) : instanceIds.length;
  const batch = await createBatch(rt, {
    deployId: ref.deployId,
    phase: ref.phase,
    batchIndex: ref.batchIndex,
    mode,
    targetVersion: phaseTargetVersion(record, ref.phase),
    instanceIds,
    knownInstanceIds: group.instances.map((instance) => instance.instanceId),
    expectedNewInstances,
    startedAt: rt.clock.now().toISOString(),
    connectionsAtStart: await latestConnections(rt.clients.cloudWatch, rt.stage.connectionMetric, instanceIds, rt.clock.now()),
    servingAtStart,
    ...(mode === "surge" ? { surgeDesiredCapacity } : {}),
  });
  await audit(rt, ref.deployId, {
    step: "batch-started",
    phase: ref.phase,
    batchIndex: ref.batchIndex,
    detail: { instanceIds, mode, expectedNewInstances, notInService: selection.notInService, heldForCapacity: selection.heldForCapacity, heldForReconnectBudget: selection.heldForReconnectBudget },
  });
  return summary(batch);
}

/** The first wait for new instances: until they should first look healthy. */
export function firstHealthWait(rt: Runtime, context: BatchContext): PollResult {
  const seconds = context.batch.expectedNewInstances > 0 ? firstHealthySeconds(context.record, rt.stage) : 1;
  return { done: false, waitSeconds: Math.max(1, seconds) };
}

/** Surge: raise the desired capacity (and MaxSize if needed) so the batch's replacements launch first. */
export async function launchSurgeCapacity(rt: Runtime, ref: BatchRef): Promise<PollResult> {
  const context = await loadBatch(rt, ref);
  const { batch } = context;
  const group = await describeGroup(rt.clients.autoScaling, context.record.autoScalingGroupName);
  if (batch.surgeDesiredCapacity !== undefined && batch.expectedNewInstances > 0) {
    // Expected before it is set: a retry after a failed set then finds the old value, which adopts nothing new.
    await expectCapacity(rt, await noticeCapacityChange(rt, context.record, group), batch.surgeDesiredCapacity);
    await setCapacity(rt.clients.autoScaling, group, batch.surgeDesiredCapacity);
  }
  await updateBatch(rt, batch, {}, { healthStartedAt: rt.clock.now().toISOString() });
  await audit(rt, ref.deployId, { step: "surge-launched", phase: ref.phase, batchIndex: ref.batchIndex, detail: { desiredCapacity: batch.surgeDesiredCapacity } });
  return firstHealthWait(rt, context);
}

/** Bake: wait bakeSeconds after the batch, still watching the rollback alarms (at least once a minute). */
export async function checkBake(rt: Runtime, ref: BatchRef): Promise<PollResult> {
  const context = await loadBatch(rt, ref);
  const bakeSeconds = ref.phase === "deploy" ? context.record.input.bakeSeconds : 0;
  if (bakeSeconds === 0) return { done: true, waitSeconds: 1 };
  const group = await describeGroup(rt.clients.autoScaling, context.record.autoScalingGroupName);
  const watch = await watchCapacity(rt, ref, context.record, context.batch, group);
  if (watch.paused) return { done: false, waitSeconds: watch.waitSeconds };
  const batch = await updateBatch(rt, context.batch, {}, { bakeStartedAt: rt.clock.now().toISOString() });
  const remainingMs = Date.parse(batch.bakeStartedAt ?? "") + bakeSeconds * 1000 - rt.clock.now().getTime();
  if (remainingMs <= 0) return { done: true, waitSeconds: 1 };
  const alarmPollSeconds = context.record.input.rollbackAlarms.length > 0 ? 60 : Number.POSITIVE_INFINITY;
  return { done: false, waitSeconds: Math.max(1, Math.min(Math.ceil(remainingMs / 1000), alarmPollSeconds)) };
}

/** Ends the batch and says how many batches the phase has now (one more while work remains). */
export async function completeBatch(rt: Runtime, ref: BatchRef): Promise<{ batchIndex: number; completedAt: string; batchCount: number }> {
  const record = await getDeploy(rt, ref.deployId);
  const batch = await requireBatch(rt, ref.deployId, ref.phase, ref.batchIndex);
  const updated = await updateBatch(rt, batch, {}, { completedAt: rt.clock.now().toISOString() });
  const group = await describeGroup(rt.clients.autoScaling, record.autoScalingGroupName);
  const remaining = remainingWork(record, ref.phase, group).filter((instance) => !batch.instanceIds.includes(instance.instanceId)).length;
  const batchCount = phaseBatchCount(record, ref.phase, ref.batchIndex, remaining);
  await audit(rt, ref.deployId, { step: "batch-completed", phase: ref.phase, batchIndex: ref.batchIndex, detail: { remaining, batchCount } });
  return { batchIndex: ref.batchIndex, completedAt: updated.completedAt ?? "", batchCount };
}
