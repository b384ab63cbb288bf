import { latestConnections } from "../connections.ts";
import { audit, getBatch, getDeploy, updateDeploy } from "../deploy-store.ts";
import { describeGroup, liveInstances, setLaunchTemplateVersion } from "../fleet.ts";
import { planDeploy } from "../planner.ts";
import type { Runtime } from "../runtime.ts";
import type { DeployRecord, GroupView } from "../types.ts";
import { planTiming, snapshotOf } from "./context.ts";
import { describeFailure } from "./failure.ts";

export interface RollbackStart {
  batchIndex: number;
  batchCount: number;
  error: string;
  cause: string;
}

/**
 * Instances the failed batch left half-done come first: the ones it launched (on the target
 * version, possibly unhealthy or surplus capacity) and, if it had deregistered its old instances
 * but not terminated them, those (they must not stay deregistered while running).
 */
async function unfinishedInstances(rt: Runtime, record: DeployRecord, group: GroupView, batchIndex: number): Promise<string[]> {
  const failed = await getBatch(rt, record.deployId, "deploy", batchIndex);
  if (failed === undefined) return [];
  const live = liveInstances(group);
  const known = new Set(failed.knownInstanceIds);
  const launched = live.filter((instance) => !known.has(instance.instanceId) && instance.launchTemplateVersion === failed.targetVersion);
  const liveIds = new Set(live.map((instance) => instance.instanceId));
  const leftovers = failed.deregisteredAt !== undefined && failed.terminatedAt === undefined ? failed.instanceIds.filter((id) => liveIds.has(id)) : [];
  return [...launched.map((instance) => instance.instanceId), ...leftovers];
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
  const priorityInstanceIds = await unfinishedInstances(rt, record, group, batchIndex);
  const connections = await latestConnections(
    rt.clients.cloudWatch,
    rt.stage.connectionMetric,
    live.map((instance) => instance.instanceId),
    rt.clock.now(),
  );
  const plan = planDeploy({
    instances: live,
    desiredCapacity: snapshot.desiredCapacity,
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
  await audit(rt, deployId, { step: "rollback-started", detail: { error, cause, batches: plan.batches.length } });
  const kept = updated.rollback ?? { error, cause: reason, plan };
  return { batchIndex: 0, batchCount: kept.plan.batches.length, error: kept.error, cause: kept.cause };
}
