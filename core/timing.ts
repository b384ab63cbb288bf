/**
 * How long the physics of a rollout takes: shedding connections, draining a target, a new target
 * becoming healthy. The planner predicts with these formulas and the simulation's lower bound
 * measures every run against them, so a prediction and the bound can never disagree on physics.
 */

/** Whole seconds for an app shedding `shedRatePerSecond` connections a second to go from `connections` down to `keep`. */
export function shedSeconds(connections: number, shedRatePerSecond: number, keep = 0): number {
  const excess = connections - keep;
  return excess <= 0 ? 0 : Math.ceil(excess / shedRatePerSecond);
}

export interface DrainTiming {
  connections: number;
  /** The drain is over once this many connections are left. */
  maxRemainingConnections: number;
  /** How fast the app sheds once told to drain; 0 when it is not told (the load balancer's delay ends the drain). */
  shedRatePerSecond: number;
  deregistrationDelaySeconds: number;
  timeoutSeconds: number;
}

/** A drain's length: the app's shedding when it is told to drain, otherwise the deregistration delay; never past the timeout. */
export function drainSeconds(drain: DrainTiming): number {
  if (drain.connections <= drain.maxRemainingConnections) return 0;
  const seconds =
    drain.shedRatePerSecond > 0
      ? shedSeconds(drain.connections, drain.shedRatePerSecond, drain.maxRemainingConnections)
      : drain.deregistrationDelaySeconds;
  return Math.min(drain.timeoutSeconds, seconds);
}

export interface NewTargetTiming {
  /** From launch until the app answers its health check. */
  bootSeconds: number;
  healthCheckIntervalSeconds: number;
  /** How long the load balancer takes to register a target, where that is known (it runs while the app boots). */
  registrationSeconds?: number;
}

/**
 * From launch until the load balancer calls a new target healthy. An ALB needs one passing check
 * for a newly registered target ("After your target is registered, it must pass one health check
 * to be considered healthy"; the healthy threshold is for recovering from unhealthy), and checks
 * come once per interval: at most one interval after the app is up and the target registered.
 */
export function newTargetHealthySeconds(target: NewTargetTiming): number {
  return Math.max(target.bootSeconds, target.registrationSeconds ?? 0) + target.healthCheckIntervalSeconds;
}

/** Until a new target has been seen healthy on `consecutiveChecks` observations, one per interval. */
export function verifiedHealthySeconds(target: NewTargetTiming, consecutiveChecks: number): number {
  return newTargetHealthySeconds(target) + target.healthCheckIntervalSeconds * Math.max(0, consecutiveChecks - 1);
}

export interface LifecycleWorkTiming {
  /** How long the launch hook waits for its instance to become healthy before abandoning it. */
  healthTimeoutSeconds: number;
  /** How long the terminate hook drains before it lets the instance go. */
  drainTimeoutSeconds: number;
  /** The longest deregistration delay of the target groups: the load balancer's part of the drain. */
  deregistrationDelaySeconds: number;
}

/**
 * The longest a lifecycle hook's own work takes: the launch hook's health wait, or the terminate
 * hook's deregistration and drain. An action still open past this is no longer being worked on.
 */
export function lifecycleWorkSeconds(transition: "launch" | "terminate", timing: LifecycleWorkTiming): number {
  return transition === "launch" ? timing.healthTimeoutSeconds : timing.drainTimeoutSeconds + timing.deregistrationDelaySeconds;
}
