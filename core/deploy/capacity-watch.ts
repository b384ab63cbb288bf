import { audit, updateBatch } from "../deploy-store.ts";
import { CapacityLost } from "../errors.ts";
import { healthCheckIntervalSeconds } from "../health.ts";
import { liveInstances } from "../fleet.ts";
import type { Runtime } from "../runtime.ts";
import { describeTargets } from "../targets.ts";
import type { BatchRecord, DeployRecord, GroupView } from "../types.ts";
import type { BatchRef } from "./batch.ts";
import { snapshotOf, targetGroupArnsOf } from "./context.ts";
import { clearOutageMarks } from "./group-changes.ts";

/**
 * Healthy capacity the deploy did not take away: the instances outside the batch that served in
 * every target group when the batch started. Losing any of them (a shared outage, scaling in,
 * someone else's termination) is not progress: the batch pauses, and the deploy then rolls back
 * with that reason, never Succeeded. A rollback batch pauses the same way and carries on once
 * they are back.
 */

/** InService and healthy in every target group (the ASG's own health mark aside: a suspended ReplaceUnhealthy keeps it sticky). */
export async function servingIds(rt: Runtime, record: DeployRecord, group: GroupView, candidates: readonly string[]): Promise<Set<string>> {
  const arns = targetGroupArnsOf(record);
  const inService = new Set(liveInstances(group).filter((instance) => instance.lifecycleState === "InService").map((instance) => instance.instanceId));
  const ids = candidates.filter((id) => inService.has(id));
  if (arns.length === 0 || ids.length === 0) return new Set();
  const states = await describeTargets(rt.clients.elbv2, arns, ids);
  return new Set(ids.filter((id) => arns.every((arn) => states.get(id)?.get(arn)?.state === "healthy")));
}

export interface CapacityWatch {
  paused: boolean;
  waitSeconds: number;
}

const NOT_PAUSED: CapacityWatch = { paused: false, waitSeconds: 1 };

export async function watchCapacity(rt: Runtime, ref: BatchRef, record: DeployRecord, batch: BatchRecord, group: GroupView): Promise<CapacityWatch> {
  const configured = snapshotOf(record).desiredCapacity;
  if (ref.phase === "deploy" && group.desiredCapacity < configured) {
    // Scaled in by someone else: the instances it removes are not the deploy's progress, and they do not come back.
    throw new CapacityLost(
      `batch ${ref.batchIndex + 1}: the group's desired capacity was changed from ${configured} to ${group.desiredCapacity} by someone else (an operator or a scaling policy); the deploy keeps that change and rolls back rather than count the instances it removed as progress`,
    );
  }
  const watched = batch.servingAtStart ?? [];
  if (watched.length === 0) return NOT_PAUSED;
  const serving = await servingIds(rt, record, group, watched);
  const lost = watched.filter((id) => !serving.has(id));
  const now = rt.clock.now();
  if (lost.length === 0) {
    if (batch.capacityLostAt === undefined) return NOT_PAUSED;
    const cleared = record.groupChanges?.suspendedProcesses.includes("ReplaceUnhealthy") === true ? await clearOutageMarks(rt, record, group) : [];
    await audit(rt, ref.deployId, { step: "capacity-recovered", phase: ref.phase, batchIndex: ref.batchIndex, detail: { clearedHealthMarks: cleared } });
    if (ref.phase === "rollback") return NOT_PAUSED;
    const pausedSeconds = Math.round((now.getTime() - Date.parse(batch.capacityLostAt)) / 1000);
    throw new CapacityLost(
      `batch ${ref.batchIndex + 1}: healthy capacity dropped at ${batch.capacityLostAt} for a reason that is not the deploy (instances outside the batch stopped serving); the deploy paused ${pausedSeconds} s until they were back and rolls back rather than count it as progress`,
    );
  }
  const lostAt = batch.capacityLostAt ?? (await updateBatch(rt, batch, {}, { capacityLostAt: now.toISOString() })).capacityLostAt ?? now.toISOString();
  await audit(rt, ref.deployId, { step: "capacity-lost", phase: ref.phase, batchIndex: ref.batchIndex, detail: { lost, at: lostAt } });
  const pausedSeconds = (now.getTime() - Date.parse(lostAt)) / 1000;
  if (pausedSeconds >= record.input.health.timeoutSeconds) {
    throw new CapacityLost(
      `batch ${ref.batchIndex + 1}: ${lost.length} instance(s) outside the batch stopped serving at ${lostAt} for a reason that is not the deploy (${lost.join(", ")}) and were not back within health.timeoutSeconds ${record.input.health.timeoutSeconds} s`,
    );
  }
  return { paused: true, waitSeconds: healthCheckIntervalSeconds(snapshotOf(record).targetGroups) };
}
