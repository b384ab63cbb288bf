import { selectBatch, type BatchSelection } from "../batch-selection.ts";
import { latestConnections } from "../connections.ts";
import { getBatch } from "../deploy-store.ts";
import { liveInstances } from "../fleet.ts";
import type { DeployMode } from "../deploy-settings.ts";
import { skipReason } from "../planner.ts";
import type { Runtime } from "../runtime.ts";
import type { DeployPhase, DeployRecord, GroupView, InstanceView } from "../types.ts";
import { servingIds } from "./capacity-watch.ts";
import { heldCapacity, phasePlan, phaseTargetVersion, snapshotOf } from "./context.ts";

/**
 * The plan fixes the order and the batch size; what each batch takes is decided when it starts,
 * against the fleet as it is then (core/batch-selection.ts). So the number of batches can change:
 * a batch that had to shrink leaves work for one more.
 */

/** The phase's planned instances still to be replaced, in plan order: live, not on the phase's version, not kept aside since. */
export function remainingWork(record: DeployRecord, phase: DeployPhase, group: GroupView): InstanceView[] {
  const targetVersion = phaseTargetVersion(record, phase);
  const live = new Map(liveInstances(group).map((instance) => [instance.instanceId, instance]));
  return phasePlan(record, phase)
    .batches.flatMap((batch) => batch.instanceIds)
    .flatMap((id) => {
      const instance = live.get(id);
      return instance !== undefined && skipReason(instance, targetVersion) === undefined ? [instance] : [];
    });
}

/**
 * How a batch replaces its instances. With surgeFirstBatch a replace-mode deploy surges its first
 * batch when the group's MaxSize leaves room for it (MaxSize is never raised for it): the first
 * clients handed off land on new instances instead of on the old ones of the next batches, which
 * would move them a second time.
 */
export function batchMode(record: DeployRecord, phase: DeployPhase, batchIndex: number, group: GroupView): DeployMode {
  if (record.input.mode === "surge" || !record.input.surgeFirstBatch || phase !== "deploy" || batchIndex !== 0) return record.input.mode;
  const firstBatch = phasePlan(record, phase).batches[0]?.instanceIds.length ?? 0;
  return firstBatch > 0 && snapshotOf(record).desiredCapacity + firstBatch <= group.maxSize ? "surge" : "replace";
}

/** Chooses the batch's instances from the remaining work and the group's health now. */
export async function chooseBatch(rt: Runtime, record: DeployRecord, phase: DeployPhase, group: GroupView, mode: DeployMode): Promise<BatchSelection & { remaining: number }> {
  const remaining = remainingWork(record, phase, group);
  const plan = phasePlan(record, phase);
  const live = liveInstances(group).map((instance) => instance.instanceId);
  const serving = remaining.length === 0 ? new Set<string>() : await servingIds(rt, record, group, live);
  const { maxReconnectsPerMinute, timeoutSeconds } = record.input.drain;
  const reconnectBudget =
    maxReconnectsPerMinute === undefined || remaining.length === 0
      ? undefined
      : {
          budget: { maxReconnectsPerMinute, timeoutSeconds, appShedRatePerSecond: rt.stage.estimates.shedRatePerSecond },
          connections: await latestConnections(rt.clients.cloudWatch, rt.stage.connectionMetric, remaining.map((instance) => instance.instanceId), rt.clock.now()),
        };
  const selection = selectBatch({
    ...(reconnectBudget === undefined ? {} : { reconnectBudget }),
    remaining,
    serving,
    servingCount: serving.size,
    desiredCapacity: heldCapacity(record, group),
    minHealthyPercent: record.input.minHealthyPercent,
    mode,
    // A first batch surged for its hand-offs stays the size the plan made room for under MaxSize.
    batchSize: mode === record.input.mode ? plan.requestedBatchSize : Math.min(plan.requestedBatchSize, plan.batches[0]?.instanceIds.length ?? 1),
    maxServingOutOfService: plan.maxHealthyOutOfService,
  });
  return { ...selection, remaining: remaining.length };
}

/** How many batches the phase has now: this one and, while work remains, at least one more. */
export function phaseBatchCount(record: DeployRecord, phase: DeployPhase, batchIndex: number, remaining: number): number {
  if (remaining === 0) return batchIndex + 1;
  return Math.max(batchIndex + 2, phasePlan(record, phase).batches.length);
}

/** Since when the batch could have started: the previous batch's end, or the phase's start. */
export async function batchDueSince(rt: Runtime, record: DeployRecord, phase: DeployPhase, batchIndex: number): Promise<Date> {
  const previous = batchIndex > 0 ? await getBatch(rt, record.deployId, phase, batchIndex - 1) : undefined;
  const since = previous?.completedAt ?? (phase === "rollback" ? record.rollback?.startedAt : undefined) ?? snapshotOf(record).takenAt;
  return new Date(since);
}
