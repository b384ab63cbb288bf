import { latestConnections } from "../connections.ts";
import { getDeploy } from "../deploy-store.ts";
import { listBatches } from "./records.ts";
import { describeGroup, isLeaving } from "../fleet.ts";
import type { Runtime } from "../runtime.ts";
import type { BatchRecord, DeployPhase, DeployPlan, DeployRecord, DeployStatus, GroupView, InstanceView } from "../types.ts";

/** Where one instance is in the batch that replaces it (old) or brings it in (new). */
export type InstancePhase = "queued" | "deregistering" | "draining" | "drained" | "terminating" | "terminated" | "booting" | "health-checking" | "healthy";

export interface InstanceProgress {
  instanceId: string;
  role: "old" | "new";
  phase: InstancePhase;
  availabilityZone?: string;
  /** Latest published connection count (old instances). */
  connections?: number;
}

export interface BatchProgress {
  phase: DeployPhase;
  /** 0-based. */
  index: number;
  count: number;
  step: string;
  startedAt: string;
}

/** A deploy as the operator follows it: read from its records and the group, never from the workflow's history. */
export interface DeployProgress {
  deployId: string;
  autoScalingGroupName: string;
  status: DeployStatus;
  targetVersion: string | undefined;
  batch: BatchProgress | undefined;
  instances: InstanceProgress[];
  capacity: { healthy: number; minimum: number; desired: number } | undefined;
  startedAt: string;
  elapsedSeconds: number;
  /** Predicted seconds left (core/timing's figures, from the plan); undefined once finished or before planning. */
  etaSeconds: number | undefined;
  outcome: DeployRecord["outcome"];
}

const FINISHED: ReadonlySet<DeployStatus> = new Set<DeployStatus>(["Succeeded", "DryRun", "RolledBack", "Failed"]);

/** The step of a batch, from which of its timestamps are recorded (each step records its own once). */
export function batchStep(batch: BatchRecord): string {
  if (batch.completedAt !== undefined) return "done";
  if (batch.bakeStartedAt !== undefined) return "baking";
  if (batch.healthyAt !== undefined) return "verified healthy";
  if (batch.terminatedAt !== undefined || (batch.surgeDesiredCapacity !== undefined && batch.deregisteringAt === undefined)) {
    return batch.deregisteringAt === undefined ? "launching surge capacity" : "waiting for new instances to pass health checks";
  }
  if (batch.drainedAt !== undefined) return "terminating drained instances";
  if (batch.deregisteredAt !== undefined) return batch.drainTimedOut === true ? "drain timed out" : "draining";
  if (batch.deregisteringAt !== undefined) return "deregistering";
  return "starting";
}

function oldPhase(batch: BatchRecord, instance: InstanceView | undefined): InstancePhase {
  if (instance === undefined) return "terminated";
  if (batch.deregisteringAt === undefined) return "queued";
  if (batch.deregisteredAt === undefined) return "deregistering";
  if (batch.drainedAt === undefined) return "draining";
  if (batch.terminatedAt === undefined && !isLeaving(instance)) return "drained";
  return "terminating";
}

function newPhase(batch: BatchRecord, instance: InstanceView, consecutiveChecks: number): InstancePhase {
  if (instance.lifecycleState.startsWith("Pending")) return "booting";
  return (batch.healthObservations?.[instance.instanceId]?.consecutive ?? 0) >= consecutiveChecks ? "healthy" : "health-checking";
}

const currentBatch = (batches: readonly BatchRecord[], status: DeployStatus): BatchRecord | undefined => {
  const phase: DeployPhase = status === "RollingBack" || status === "RolledBack" ? "rollback" : "deploy";
  const ofPhase = batches.filter((batch) => batch.phase === phase).sort((a, b) => a.batchIndex - b.batchIndex);
  return ofPhase.find((batch) => batch.completedAt === undefined) ?? ofPhase.at(-1);
};

const planOf = (record: DeployRecord, batch: BatchRecord | undefined): DeployPlan | undefined =>
  batch?.phase === "rollback" ? record.rollback?.plan : record.plan;

function etaSeconds(plan: DeployPlan | undefined, batch: BatchRecord | undefined, now: Date): number | undefined {
  if (plan === undefined) return undefined;
  if (batch === undefined) return plan.predictedSeconds;
  const later = plan.batches.filter((planned) => planned.index > batch.batchIndex).reduce((sum, planned) => sum + planned.predictedSeconds, 0);
  const current = plan.batches.find((planned) => planned.index === batch.batchIndex)?.predictedSeconds ?? 0;
  const spent = batch.completedAt === undefined ? (now.getTime() - Date.parse(batch.startedAt)) / 1000 : current;
  return Math.max(0, Math.round(later + current - spent));
}

function instancesOf(batch: BatchRecord, group: GroupView, connections: Record<string, number>, consecutiveChecks: number): InstanceProgress[] {
  const byId = new Map(group.instances.map((instance) => [instance.instanceId, instance]));
  const known = new Set(batch.knownInstanceIds);
  const olds = batch.instanceIds.map((instanceId): InstanceProgress => {
    const instance = byId.get(instanceId);
    return {
      instanceId, role: "old", phase: oldPhase(batch, instance),
      ...(instance === undefined ? {} : { availabilityZone: instance.availabilityZone }),
      ...(connections[instanceId] === undefined ? {} : { connections: connections[instanceId] }),
    };
  });
  const news = group.instances
    .filter((instance) => !known.has(instance.instanceId) && !isLeaving(instance))
    .map((instance): InstanceProgress => ({ instanceId: instance.instanceId, role: "new", phase: newPhase(batch, instance, consecutiveChecks), availabilityZone: instance.availabilityZone }));
  return [...olds, ...news];
}

/** Serving and healthy: InService and Healthy, and neither leaving with the batch nor still unverified. */
function healthyCount(group: GroupView, instances: readonly InstanceProgress[]): number {
  const notServing = new Set(instances.filter((instance) => instance.phase !== "queued" && instance.phase !== "healthy").map((instance) => instance.instanceId));
  return group.instances.filter((instance) => instance.lifecycleState === "InService" && instance.healthStatus === "Healthy" && !notServing.has(instance.instanceId)).length;
}

/** Reads where a deploy is: its record, its batches, the group and the batch's connection counts (read-only). */
export async function readDeployProgress(rt: Runtime, deployId: string, now: Date): Promise<DeployProgress> {
  const record = await getDeploy(rt, deployId);
  const batches = await listBatches(rt, deployId);
  const batch = currentBatch(batches, record.status);
  const plan = planOf(record, batch);
  const finished = FINISHED.has(record.status);
  const group = finished ? undefined : await describeGroup(rt.clients.autoScaling, record.autoScalingGroupName);
  const live = batch === undefined || group === undefined ? [] : batch.instanceIds.filter((id) => group.instances.some((instance) => instance.instanceId === id));
  const connections = live.length === 0 ? {} : await latestConnections(rt.clients.cloudWatch, rt.stage.connectionMetric, live, now);
  const instances = batch === undefined || group === undefined ? [] : instancesOf(batch, group, connections, record.input.health.consecutiveHealthyChecks);
  const desired = record.snapshot?.desiredCapacity;
  const end = finished && record.outcome !== undefined ? Date.parse(record.outcome.at) : now.getTime();
  return {
    deployId,
    autoScalingGroupName: record.autoScalingGroupName,
    status: record.status,
    targetVersion: record.targetVersion,
    batch: batch === undefined ? undefined : { phase: batch.phase, index: batch.batchIndex, count: plan?.batches.length ?? batch.batchIndex + 1, step: batchStep(batch), startedAt: batch.startedAt },
    instances,
    capacity: group === undefined || desired === undefined || plan === undefined
      ? undefined
      : { healthy: healthyCount(group, instances), minimum: Math.max(0, desired - plan.maxHealthyOutOfService), desired },
    startedAt: record.startedAt,
    elapsedSeconds: Math.max(0, Math.round((end - Date.parse(record.startedAt)) / 1000)),
    etaSeconds: finished ? undefined : etaSeconds(plan, batch, now),
    outcome: record.outcome,
  };
}
