import { latestConnections } from "../connections.ts";
import { audit, getBatch, getDeploy, updateDeploy } from "../deploy-store.ts";
import { describeGroup, liveInstances, setLaunchTemplateVersion } from "../fleet.ts";
import { planDeploy } from "../planner.ts";
import type { Runtime } from "../runtime.ts";
import type { DeployRecord, GroupView } from "../types.ts";
import { heldCapacity, planTiming, snapshotOf } from "./context.ts";
import { describeFailure } from "./failure.ts";
import { reRegisterStranded } from "./serving.ts";

export interface RollbackStart {
  batchIndex: number;
  batchCount: number;
  error: string;
  cause: string;
}

/**
 * What the failed batch left half-done: the instances it launched (on the target version,
 * possibly unhealthy or surplus capacity) are replaced first; the old instances it had started
 * to deregister (recorded before DeregisterTargets) but not terminated still run the original
 * version, so they are registered back and told to accept connections again.
 */
async function unfinishedInstances(rt: Runtime, record: DeployRecord, group: GroupView, batchIndex: number): Promise<{ launched: string[]; leftovers: string[] }> {
  const failed = await getBatch(rt, record.deployId, "deploy", batchIndex);
  if (failed === undefined) return { launched: [], leftovers: [] };
  const live = liveInstances(group);
  const known = new Set(failed.knownInstanceIds);
  const launched = live.filter((instance) => !known.has(instance.instanceId) && instance.launchTemplateVersion === failed.targetVersion);
  const liveIds = new Set(live.map((instance) => instance.instanceId));
  const leftovers = failed.deregisteringAt !== undefined && failed.terminatedAt === undefined ? failed.instanceIds.filter((id) => liveIds.has(id)) : [];
  return { launched: launched.map((instance) => instance.instanceId), leftovers };
}

/**
 * Stops the deploy: the launch template goes back to the original version and every instance on
 * the new version (plus the failed batch's leftovers) is planned for replacement, batch by batch,
 * through the same careful drain.
 */
export async function beginRollback(
  rt: Runtime,
  deployId: string,
  failure: { Error?: string | undefined; Cause?: string | undefined } | undefined,
  batchIndex: number,
): Promise<RollbackStart> {
  const record = await getDeploy(rt, deployId);
  if (record.rollback !== undefined) {
    return { batchIndex: 0, batchCount: record.rollback.plan.batches.length, error: record.rollback.error, cause: record.rollback.cause };
  }
  const { error, cause } = describeFailure(failure);
  const snapshot = snapshotOf(record);
  await setLaunchTemplateVersion(rt.clients.autoScaling, record.autoScalingGroupName, snapshot.launchTemplate);
  const group = await describeGroup(rt.clients.autoScaling, record.autoScalingGroupName);
  const live = liveInstances(group);
  const { launched: priorityInstanceIds, leftovers } = await unfinishedInstances(rt, record, group, batchIndex);
  const reRegistered = await reRegisterStranded(rt, record, group, leftovers);
  const connections = await latestConnections(
    rt.clients.cloudWatch,
    rt.stage.connectionMetric,
    live.map((instance) => instance.instanceId),
    rt.clock.now(),
  );
  const plan = planDeploy({
    instances: live,
    desiredCapacity: heldCapacity(record, group),
    targetVersion: snapshot.launchTemplate.version,
    batchSize: record.input.batchSize,
    mode: record.input.mode,
    minHealthyPercent: record.input.minHealthyPercent,
    priorityInstanceIds,
    connections,
    timing: { ...planTiming(record, rt.stage), bakeSeconds: 0 },
  });
  const reason = `${error}: ${cause}`;
  const updated = await updateDeploy(
    rt,
    deployId,
    { status: "RollingBack" },
    { rollback: { error, cause: reason, startedAt: rt.clock.now().toISOString(), plan } },
  );
  await audit(rt, deployId, { step: "rollback-started", detail: { error, cause, batches: plan.batches.length, ...reRegistered } });
  const kept = updated.rollback ?? { error, cause: reason, plan };
  return { batchIndex: 0, batchCount: kept.plan.batches.length, error: kept.error, cause: kept.cause };
}
