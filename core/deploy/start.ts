import { latestConnections } from "../connections.ts";
import { audit, createDeploy, getDeploy, updateDeploy } from "../deploy-store.ts";
import { describeGroup, setLaunchTemplateVersion } from "../fleet.ts";
import { acquireLock, assertGroupInStage } from "../lock.ts";
import { planDeploy } from "../planner.ts";
import type { Runtime } from "../runtime.ts";
import { describeTargetGroupSettings, targetGroupArnsFor } from "../targets.ts";
import type { DeployInput, DeployPlan } from "../types.ts";
import { planTiming, snapshotOf } from "./context.ts";
import { applyGroupChanges } from "./group-changes.ts";

/** Takes the group's lock (DeployInProgress if held) and creates the deploy record. */
export async function startDeploy(rt: Runtime, deployId: string, input: DeployInput, targetVersion: string): Promise<{ lockedUntil: string }> {
  assertGroupInStage(rt, input.autoScalingGroupName);
  const lock = await acquireLock(rt, input.autoScalingGroupName, deployId, "deploy");
  const now = rt.clock.now().toISOString();
  await createDeploy(rt, {
    deployId,
    autoScalingGroupName: input.autoScalingGroupName,
    status: "Started",
    input,
    targetVersion,
    startedAt: now,
    updatedAt: now,
  });
  await audit(rt, deployId, { step: "started", detail: { targetVersion, mode: input.mode } });
  return { lockedUntil: new Date(lock.leaseExpiresAt * 1000).toISOString() };
}

/** Records the fleet as found (kept from the first run if the task is retried). */
export async function snapshotFleet(rt: Runtime, deployId: string): Promise<{ instances: number; originalVersion: string; targetVersion: string }> {
  const record = await getDeploy(rt, deployId);
  const group = await describeGroup(rt.clients.autoScaling, record.autoScalingGroupName);
  const targetGroups = await describeTargetGroupSettings(rt.clients.elbv2, targetGroupArnsFor(group, rt.stage));
  const snapshot = {
    takenAt: rt.clock.now().toISOString(),
    desiredCapacity: group.desiredCapacity,
    minSize: group.minSize,
    maxSize: group.maxSize,
    launchTemplate: group.launchTemplate,
    targetGroups,
    instances: group.instances,
    ...(group.arn === undefined ? {} : { groupArn: group.arn }),
  };
  const updated = await updateDeploy(rt, deployId, {}, { snapshot });
  const kept = snapshotOf(updated);
  return { instances: kept.instances.length, originalVersion: kept.launchTemplate.version, targetVersion: updated.targetVersion ?? "" };
}

export interface PlanSummary {
  dryRun: boolean;
  batchCount: number;
  predictedSeconds: number;
  notes: string[];
  /** The whole plan, only for a dry run (a real run keeps it in the deploy record). */
  plan?: DeployPlan;
}

/** Plans the batches from the snapshot and the instances' current connections. */
export async function planFleetDeploy(rt: Runtime, deployId: string): Promise<PlanSummary> {
  const record = await getDeploy(rt, deployId);
  const snapshot = snapshotOf(record);
  const ids = snapshot.instances.map((instance) => instance.instanceId);
  const connections = await latestConnections(rt.clients.cloudWatch, rt.stage.connectionMetric, ids, rt.clock.now());
  const plan = planDeploy({
    instances: snapshot.instances,
    desiredCapacity: snapshot.desiredCapacity,
    targetVersion: record.targetVersion ?? "",
    batchSize: record.input.batchSize,
    mode: record.input.mode,
    minHealthyPercent: record.input.minHealthyPercent,
    connections,
    timing: planTiming(record, rt.stage),
  });
  await updateDeploy(rt, deployId, { plan });
  await audit(rt, deployId, { step: "planned", detail: { batches: plan.batches.length, predictedSeconds: plan.predictedSeconds, notes: plan.notes } });
  const summary: PlanSummary = {
    dryRun: record.input.dryRun,
    batchCount: plan.batches.length,
    predictedSeconds: plan.predictedSeconds,
    notes: plan.notes,
  };
  return record.input.dryRun ? { ...summary, plan } : summary;
}

/** The first change: the group is prepared for the deploy (processes, deregistration delays), then new launches use the target version. */
export async function setTargetVersion(rt: Runtime, deployId: string): Promise<{ launchTemplateVersion: string }> {
  await applyGroupChanges(rt, deployId);
  const record = await getDeploy(rt, deployId);
  const snapshot = snapshotOf(record);
  const version = record.targetVersion ?? snapshot.launchTemplate.version;
  await setLaunchTemplateVersion(rt.clients.autoScaling, record.autoScalingGroupName, { ...snapshot.launchTemplate, version });
  await updateDeploy(rt, deployId, { status: "InProgress" });
  await audit(rt, deployId, { step: "launch-template-set", detail: { from: snapshot.launchTemplate.version, to: version } });
  return { launchTemplateVersion: version };
}
