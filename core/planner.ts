import type { DeployPlan, InstanceView, PlannedBatch, SkipReason } from "./types.ts";
import type { BatchSize, DeployMode } from "./deploy-settings.ts";
import { DeployPlanInfeasible } from "./errors.ts";
import { isLeaving } from "./fleet.ts";
import { isHealthy } from "./health.ts";
import { pacedShedRate } from "./drain/pacing.ts";
import { drainSeconds, verifiedHealthySeconds } from "./timing.ts";

/** What the predictions are made from: stage estimates, target group settings and the input. */
export interface PlanTiming {
  bootSeconds: number;
  shedRatePerSecond: number;
  drainTimeoutSeconds: number;
  drainSignal: "ssm" | "none";
  maxRemainingConnections: number;
  deregistrationDelaySeconds: number;
  healthCheckIntervalSeconds: number;
  consecutiveHealthyChecks: number;
  bakeSeconds: number;
  /** drain.maxReconnectsPerMinute: each batch's instances share it (core/drain/pacing.ts). */
  maxReconnectsPerMinute?: number | undefined;
}

export interface PlanRequest {
  instances: readonly InstanceView[];
  desiredCapacity: number;
  targetVersion: string;
  batchSize: BatchSize;
  mode: DeployMode;
  minHealthyPercent: number;
  /** Replaced first whatever their version (a rollback's unfinished batch). */
  priorityInstanceIds?: readonly string[];
  /** Latest known connections per instance (missing = unknown, taken as 0). */
  connections: Readonly<Record<string, number>>;
  timing: PlanTiming;
}

/** The batch size in instances: a count, or a percent of the desired capacity rounded up. */
export function batchSizeInInstances(batchSize: BatchSize, desiredCapacity: number): number {
  if (typeof batchSize === "number") return batchSize;
  const percent = Number(batchSize.replace("%", ""));
  return Math.max(1, Math.ceil((desiredCapacity * percent) / 100));
}

/** Round robin over Availability Zones (sorted), keeping each zone's own order. */
function interleaveByZone<T extends { availabilityZone: string }>(items: readonly T[]): T[] {
  const zones = new Map<string, T[]>();
  for (const item of items) {
    const queue = zones.get(item.availabilityZone) ?? [];
    queue.push(item);
    zones.set(item.availabilityZone, queue);
  }
  const queues = [...zones.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, queue]) => queue);
  const ordered: T[] = [];
  for (let round = 0; ordered.length < items.length; round += 1) {
    for (const queue of queues) {
      const item = queue[round];
      if (item !== undefined) ordered.push(item);
    }
  }
  return ordered;
}

export function skipReason(instance: InstanceView, targetVersion: string): SkipReason | undefined {
  if (instance.launchTemplateVersion === targetVersion) return "on-target-version";
  if (instance.protectedFromScaleIn) return "protected-from-scale-in";
  if (instance.lifecycleState.includes("Standby")) return "standby";
  // A launching instance is planned all the same (it would otherwise stay on its version); its batch takes it once it is InService.
  if (instance.lifecycleState !== "InService" && !instance.lifecycleState.startsWith("Pending")) return "not-in-service";
  return undefined;
}

function predictDrainSeconds(connections: number, timing: PlanTiming, shedRatePerSecond: number): number {
  return drainSeconds({
    connections,
    maxRemainingConnections: timing.maxRemainingConnections,
    shedRatePerSecond: timing.drainSignal === "ssm" ? shedRatePerSecond : 0,
    deregistrationDelaySeconds: timing.deregistrationDelaySeconds,
    timeoutSeconds: timing.drainTimeoutSeconds,
  });
}

function zoneCounts(instances: readonly InstanceView[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const instance of instances) counts[instance.availabilityZone] = (counts[instance.availabilityZone] ?? 0) + 1;
  return counts;
}

/**
 * Plans the batches: AZ-balanced, at most `batchSize` instances each and, in replace mode, never
 * so many healthy ones that fewer than minHealthyPercent of the desired capacity stay healthy.
 * Protected, Standby and already-updated instances are kept and listed.
 */
export function planDeploy(request: PlanRequest): DeployPlan {
  const { instances, desiredCapacity, targetVersion, mode, timing } = request;
  const priority = new Set(request.priorityInstanceIds ?? []);
  const skipped: DeployPlan["skipped"] = [];
  const first: InstanceView[] = [];
  const candidates: InstanceView[] = [];
  for (const instance of instances) {
    if (isLeaving(instance)) continue;
    const reason = priority.has(instance.instanceId) ? undefined : skipReason(instance, targetVersion);
    if (reason !== undefined) skipped.push({ instanceId: instance.instanceId, reason });
    else if (priority.has(instance.instanceId)) first.push(instance);
    else candidates.push(instance);
  }
  // Priority instances are already out of service (deregistered), so they count as unhealthy.
  const serving = (instance: InstanceView): boolean => isHealthy(instance) && !priority.has(instance.instanceId);
  const outOfService = [...first, ...interleaveByZone(candidates.filter((instance) => !serving(instance)))];
  const queue = [...outOfService, ...interleaveByZone(candidates.filter(serving))];

  const requested = batchSizeInInstances(request.batchSize, desiredCapacity);
  const minHealthyCount = Math.ceil((desiredCapacity * request.minHealthyPercent) / 100);
  const healthyNow = instances.filter(serving).length;
  // Out-of-service instances come first; once they are replaced (and verified) more are healthy.
  const healthyLater = Math.min(desiredCapacity, healthyNow + outOfService.length);
  const budgetWhileReplacing = mode === "replace" ? Math.min(requested, healthyNow - minHealthyCount) : requested;
  const budgetLater = mode === "replace" ? Math.min(requested, healthyLater - minHealthyCount) : requested;
  const notes: string[] = [];
  if (queue.some(serving) && budgetLater < 1) {
    throw new DeployPlanInfeasible(
      `replace mode cannot take a healthy instance out of service: ${healthyNow} of ${desiredCapacity} are healthy and minHealthyPercent ${request.minHealthyPercent} needs ${minHealthyCount}; use mode "surge" or lower minHealthyPercent`,
    );
  }
  if (budgetLater < requested && queue.some(serving)) {
    notes.push(
      `batch size capped from ${requested} to ${budgetLater} healthy instances so that at least ${minHealthyCount} of ${desiredCapacity} stay healthy (minHealthyPercent ${request.minHealthyPercent})`,
    );
  }
  if (skipped.length > 0) {
    notes.push(`kept as they are: ${skipped.map((entry) => `${entry.instanceId} (${entry.reason})`).join(", ")}`);
  }

  const groups: InstanceView[][] = [];
  let current: InstanceView[] = [];
  for (const instance of queue) {
    const budget = current.some((member) => !serving(member)) ? budgetWhileReplacing : budgetLater;
    const full = current.length >= requested || (serving(instance) && current.filter(serving).length >= budget);
    if (current.length > 0 && full) {
      groups.push(current);
      current = [];
    }
    current.push(instance);
  }
  if (current.length > 0) groups.push(current);

  const healthySeconds = verifiedHealthySeconds(
    { bootSeconds: timing.bootSeconds, healthCheckIntervalSeconds: timing.healthCheckIntervalSeconds },
    timing.consecutiveHealthyChecks,
  );
  const batches: PlannedBatch[] = groups.map((group, index) => {
    const counts = group.map((instance) => request.connections[instance.instanceId] ?? 0);
    const budget = { maxReconnectsPerMinute: timing.maxReconnectsPerMinute, appShedRatePerSecond: timing.shedRatePerSecond, timeoutSeconds: timing.drainTimeoutSeconds };
    const rate = pacedShedRate(budget, counts);
    const drainingSeconds = Math.max(0, ...counts.map((count) => predictDrainSeconds(count, timing, rate)));
    return {
      index,
      instanceIds: group.map((instance) => instance.instanceId),
      availabilityZones: zoneCounts(group),
      predictedSeconds: drainingSeconds + healthySeconds + timing.bakeSeconds,
    };
  });
  return {
    mode,
    targetVersion,
    requestedBatchSize: requested,
    maxHealthyOutOfService: budgetLater,
    batches,
    skipped,
    notes,
    predictedSeconds: batches.reduce((sum, batch) => sum + batch.predictedSeconds, 0),
  };
}
