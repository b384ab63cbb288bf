import type { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { NoTargetGroups } from "./errors.ts";
import { describeTargets, type TargetStates } from "./targets.ts";
import type { HealthObservation, InstanceView, TargetGroupSettings } from "./types.ts";

/**
 * The one health verifier: an instance is verified once it has been seen healthy in every
 * target group on N consecutive observations, one per health-check interval (polling faster
 * does not count twice; any unhealthy observation starts over).
 */

/** The slowest target group sets the pace of health observations: its interval. */
export function healthCheckIntervalSeconds(targetGroups: readonly TargetGroupSettings[]): number {
  return Math.max(1, ...targetGroups.map((group) => group.healthCheckIntervalSeconds));
}

/** Counts one observation if a full interval passed since the last counted one. */
export function recordObservation(
  previous: HealthObservation | undefined,
  healthy: boolean,
  now: Date,
  intervalSeconds: number,
): HealthObservation {
  if (!healthy) return { consecutive: 0 };
  const lastMs = previous?.lastCountedAt === undefined ? undefined : Date.parse(previous.lastCountedAt);
  if (previous !== undefined && lastMs !== undefined && now.getTime() - lastMs < intervalSeconds * 1000) return previous;
  return { consecutive: (previous?.consecutive ?? 0) + 1, lastCountedAt: now.toISOString() };
}

/** InService and Healthy as the Auto Scaling group reports it (the target groups aside). */
export const isHealthy = (instance: InstanceView): boolean => instance.lifecycleState === "InService" && instance.healthStatus === "Healthy";

const healthyInEveryGroup = (states: TargetStates, instanceId: string, targetGroupArns: readonly string[]): boolean => {
  const perGroup = states.get(instanceId);
  return perGroup !== undefined && targetGroupArns.every((arn) => perGroup.get(arn)?.state === "healthy");
};

/**
 * One poll of the new instances: their state in every target group, and each one's count of
 * consecutive observations healthy both in its Auto Scaling group and in every target group.
 */
export async function observeHealth(
  elbv2: ElasticLoadBalancingV2Client,
  instances: readonly InstanceView[],
  targetGroupArns: readonly string[],
  previous: Readonly<Record<string, HealthObservation>> | undefined,
  now: Date,
  intervalSeconds: number,
): Promise<{ states: TargetStates; observations: Record<string, HealthObservation> }> {
  if (targetGroupArns.length === 0) {
    throw new NoTargetGroups(`cannot verify ${instances.length} new instance(s): the deploy knows no target group to verify them in`);
  }
  const states = await describeTargets(elbv2, targetGroupArns, instances.map((instance) => instance.instanceId));
  const observations: Record<string, HealthObservation> = {};
  for (const instance of instances) {
    const healthy = isHealthy(instance) && healthyInEveryGroup(states, instance.instanceId, targetGroupArns);
    observations[instance.instanceId] = recordObservation(previous?.[instance.instanceId], healthy, now, intervalSeconds);
  }
  return { states, observations };
}

export interface HealthContext {
  now: Date;
  /** When the batch started waiting for new instances (termination or surge launch). */
  startedAt: Date;
  expectedNewInstances: number;
  requiredConsecutive: number;
  intervalSeconds: number;
  /** Boot estimate + the one passing check a new target needs (core/timing.ts): when a new instance should first look healthy. */
  firstHealthyAfterSeconds: number;
  timeoutSeconds: number;
}

export interface HealthDecision {
  done: boolean;
  timedOut: boolean;
  waitSeconds: number;
  verified: string[];
  /** New instances not verified yet, and how many expected ones have not even launched. */
  pending: string[];
  notLaunched: number;
}

export function decideHealth(observations: Readonly<Record<string, HealthObservation>>, context: HealthContext): HealthDecision {
  const nowMs = context.now.getTime();
  const intervalMs = context.intervalSeconds * 1000;
  const verified: string[] = [];
  const pending: string[] = [];
  let nextMs = Number.POSITIVE_INFINITY;
  const firstHealthyMs = context.startedAt.getTime() + context.firstHealthyAfterSeconds * 1000;
  const overdueRetryMs = (): number => {
    const overdueSeconds = (nowMs - firstHealthyMs) / 1000;
    return nowMs + Math.min(context.intervalSeconds, Math.max(2, Math.ceil(overdueSeconds / 4))) * 1000;
  };
  const untilFirstHealthy = (): number => (firstHealthyMs > nowMs ? firstHealthyMs : overdueRetryMs());
  for (const [instanceId, observation] of Object.entries(observations)) {
    if (observation.consecutive >= context.requiredConsecutive) {
      verified.push(instanceId);
      continue;
    }
    pending.push(instanceId);
    const lastMs = observation.lastCountedAt === undefined ? undefined : Date.parse(observation.lastCountedAt);
    nextMs = Math.min(nextMs, lastMs === undefined ? untilFirstHealthy() : lastMs + intervalMs);
  }
  const notLaunched = Math.max(0, context.expectedNewInstances - verified.length - pending.length);
  if (notLaunched > 0) nextMs = Math.min(nextMs, untilFirstHealthy());
  const done = pending.length === 0 && notLaunched === 0;
  const deadlineMs = context.startedAt.getTime() + context.timeoutSeconds * 1000;
  const timedOut = !done && nowMs >= deadlineMs;
  return {
    done,
    timedOut,
    waitSeconds: Math.max(1, Math.ceil((Math.min(nextMs, deadlineMs) - nowMs) / 1000)),
    verified,
    pending,
    notLaunched,
  };
}
