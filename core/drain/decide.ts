import type { Datapoint } from "../connections.ts";
import type { DrainSettings } from "../deploy-settings.ts";
import { drainSeconds } from "../timing.ts";

/** What one poll saw of one draining instance. */
export interface DrainObservation {
  instanceId: string;
  /** No longer in the group, past the point of no return, or a dead host (see liveness.ts): nothing left to drain. */
  gone: boolean;
  /** Every target group finished deregistering it (an ALB does so at once with no connections left). */
  deregistered: boolean;
  /** Gauge datapoints strictly newer than the deregistration, oldest first. */
  fresh: Datapoint[];
  /** When the app itself was seen to hold no connection (its waiting drain signal ended Success). */
  appDrainedAt?: Date;
}

export interface DrainContext {
  policy: DrainSettings;
  /** When the instances were deregistered. */
  since: Date;
  now: Date;
  /** Connections each instance held when its drain began (for the first prediction). */
  connectionsAtStart: Readonly<Record<string, number>>;
  shedRatePerSecond: number;
  metricPeriodSeconds: number;
  deregistrationDelaySeconds: number;
  /** Instances the app's signal never reached: only the load balancer's delay ends their drain. */
  unsignalled?: ReadonlySet<string>;
}

export interface DrainDecision {
  done: boolean;
  timedOut: boolean;
  waitSeconds: number;
  drained: string[];
  /** Deregistration ended by the delay with connections still open: the load balancer cut them (never "drained"). */
  cut: string[];
  /** Latest known connections of each instance not drained yet. */
  remaining: Record<string, number>;
}

/** The load balancer finished deregistering it only when the delay expired, and it still held connections then. */
function wasCut(observation: DrainObservation, context: DrainContext): boolean {
  if (observation.gone || !observation.deregistered) return false;
  const delayEndMs = context.since.getTime() + context.deregistrationDelaySeconds * 1000;
  if (context.now.getTime() < delayEndMs || (observation.appDrainedAt?.getTime() ?? Number.POSITIVE_INFINITY) <= delayEndMs) return false;
  const lastBefore = observation.fresh.filter((point) => point.timestamp.getTime() < delayEndMs).at(-1)?.value;
  return (lastBefore ?? context.connectionsAtStart[observation.instanceId] ?? 0) > context.policy.maxRemainingConnections;
}

function isDrained(observation: DrainObservation, maxRemaining: number): boolean {
  const latest = observation.fresh.at(-1);
  return observation.gone || observation.deregistered || observation.appDrainedAt !== undefined || (latest !== undefined && latest.value <= maxRemaining);
}

/** When the instance should be drained (epoch ms): from its measured shed rate, or the estimate. */
function predictDrainedAtMs(observation: DrainObservation, context: DrainContext): number {
  const first = observation.fresh[0];
  const last = observation.fresh.at(-1);
  const base = last ?? { timestamp: context.since, value: context.connectionsAtStart[observation.instanceId] ?? 0 };
  const told = context.policy.signal === "ssm" && context.unsignalled?.has(observation.instanceId) !== true;
  let rate = told ? context.shedRatePerSecond : 0;
  if (first !== undefined && last !== undefined && last.timestamp > first.timestamp && first.value > last.value) {
    rate = (first.value - last.value) / ((last.timestamp.getTime() - first.timestamp.getTime()) / 1000);
  }
  const seconds = drainSeconds({
    connections: base.value,
    maxRemainingConnections: context.policy.maxRemainingConnections,
    shedRatePerSecond: rate,
    deregistrationDelaySeconds: context.deregistrationDelaySeconds,
    timeoutSeconds: context.policy.timeoutSeconds,
  });
  // Shedding goes on from the latest count; without it only the delay ends the drain, counted from the deregistration.
  return (rate > 0 ? base.timestamp.getTime() : context.since.getTime()) + seconds * 1000;
}

/**
 * Drained when every instance is; timed out at policy.timeoutSeconds. Otherwise wait until the
 * earliest predicted completion (+1 s for the load balancer to notice); once a prediction is
 * overdue, poll again after a quarter of the delay, between 2 s and one metric period.
 */
export function decideDrain(observations: readonly DrainObservation[], context: DrainContext): DrainDecision {
  const drained: string[] = [];
  const cut: string[] = [];
  const remaining: Record<string, number> = {};
  const nowMs = context.now.getTime();
  let nextMs = Number.POSITIVE_INFINITY;
  for (const observation of observations) {
    if (wasCut(observation, context)) {
      cut.push(observation.instanceId);
      continue;
    }
    if (isDrained(observation, context.policy.maxRemainingConnections)) {
      drained.push(observation.instanceId);
      continue;
    }
    remaining[observation.instanceId] = observation.fresh.at(-1)?.value ?? context.connectionsAtStart[observation.instanceId] ?? 0;
    const predictedMs = predictDrainedAtMs(observation, context) + 1000;
    const overdueSeconds = (nowMs - predictedMs) / 1000;
    const retrySeconds = Math.min(context.metricPeriodSeconds, Math.max(2, Math.ceil(overdueSeconds / 4)));
    nextMs = Math.min(nextMs, predictedMs > nowMs ? predictedMs : nowMs + retrySeconds * 1000);
  }
  const deadlineMs = context.since.getTime() + context.policy.timeoutSeconds * 1000;
  const pending = Object.keys(remaining).length;
  const timedOut = pending > 0 && nowMs >= deadlineMs;
  const waitMs = Math.min(nextMs, deadlineMs) - nowMs;
  return {
    done: pending === 0 || timedOut,
    timedOut,
    waitSeconds: Math.max(1, Math.ceil(waitMs / 1000)),
    drained,
    cut,
    remaining,
  };
}
