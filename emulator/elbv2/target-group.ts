import type { TargetHealthReason, TargetHealthState, TargetHealthView } from "../autoscaling/types.ts";

export interface HealthCheckSettings {
  /** false: the load balancer sends no checks and reports every target `unavailable`. */
  enabled: boolean;
  path: string;
  intervalSeconds: number;
  timeoutSeconds: number;
  healthyThreshold: number;
  unhealthyThreshold: number;
}

/**
 * What one health check saw: the app answered as expected, did not answer within the timeout
 * (booting, hung, host gone), or answered with another HTTP code (a bad release, a shared
 * dependency down).
 */
export type HealthCheckOutcome = "passed" | "timeout" | "response-code-mismatch";

export type LoadBalancingAlgorithm = "round_robin" | "least_outstanding_requests";

/** The health verdict, kept apart from deregistration: a draining target is still checked. */
type TargetHealth = "initial" | "healthy" | "unhealthy" | "unavailable";

export interface Deregistration {
  readonly startedMs: number;
  /** Until then some load balancer nodes have not heard of the deregistration and still route to the target. */
  readonly routedUntilMs: number;
  /** The deregistration delay: DescribeTargetHealth says draining until then, and whatever is open is closed. */
  readonly endsMs: number;
}

export interface RegisteredTarget {
  readonly instanceId: string;
  readonly port: number;
  readonly registeredAtMs: number;
  /** Until then the registration itself is in progress and no check is sent. */
  readonly registrationEndsMs: number;
  health: TargetHealth;
  reason: TargetHealthReason | undefined;
  consecutivePasses: number;
  consecutiveFailures: number;
  /** Health checks run per target on its own schedule, staggered by registration time. */
  nextCheckMs: number;
  deregistration: Deregistration | undefined;
}

export interface DeregistrationTiming {
  delaySeconds: number;
  propagationSeconds: number;
}

const descriptions: Record<TargetHealthReason, string> = {
  "Elb.RegistrationInProgress": "Target registration is in progress",
  "Elb.InitialHealthChecking": "Initial health checks in progress",
  "Target.Timeout": "Request timed out",
  "Target.ResponseCodeMismatch": "Health checks failed with these codes: [503]",
  "Target.DeregistrationInProgress": "Target deregistration is in progress",
  "Target.NotRegistered": "Target is not registered to the target group",
  "Target.InvalidState": "Target is in the terminated state",
  "Target.HealthCheckDisabled": "Health checks are disabled",
};

const failureReasons: Record<Exclude<HealthCheckOutcome, "passed">, TargetHealthReason> = {
  timeout: "Target.Timeout",
  "response-code-mismatch": "Target.ResponseCodeMismatch",
};

export const healthView = (state: TargetHealthState, reason: TargetHealthReason | undefined): TargetHealthView => ({
  state,
  reason,
  description: reason === undefined ? undefined : descriptions[reason],
});

/** The state DescribeTargetHealth reports: a deregistering target drains, `unhealthy.draining` if it also fails its checks. */
export const stateOf = (target: RegisteredTarget): TargetHealthState => {
  if (target.deregistration === undefined) return target.health;
  return target.health === "unhealthy" ? "unhealthy.draining" : "draining";
};

const reasonOf = (target: RegisteredTarget): TargetHealthReason | undefined =>
  target.deregistration !== undefined && target.health !== "unhealthy" ? "Target.DeregistrationInProgress" : target.reason;

/** One ELBv2 target group: its settings and the health state machine of each registered target. */
export class TargetGroup {
  readonly targetGroupArn: string;
  readonly targetGroupName: string;
  readonly port: number;
  readonly healthCheck: HealthCheckSettings;
  readonly createdTimeMs: number;
  /** How long a new registration stays Elb.RegistrationInProgress before the first check. */
  readonly registrationSeconds: number;
  deregistrationDelaySeconds: number;
  /** How long after DeregisterTargets new connections may still reach the target. */
  readonly deregistrationPropagationSeconds: number;
  algorithm: LoadBalancingAlgorithm;
  readonly loadBalancerArns: string[] = [];
  readonly targets = new Map<string, RegisteredTarget>();

  constructor(options: {
    targetGroupArn: string;
    targetGroupName: string;
    port: number;
    healthCheck: HealthCheckSettings;
    registrationSeconds: number;
    deregistration: DeregistrationTiming;
    algorithm: LoadBalancingAlgorithm;
    createdTimeMs: number;
  }) {
    this.targetGroupArn = options.targetGroupArn;
    this.targetGroupName = options.targetGroupName;
    this.port = options.port;
    this.healthCheck = options.healthCheck;
    this.registrationSeconds = options.registrationSeconds;
    this.deregistrationDelaySeconds = options.deregistration.delaySeconds;
    this.deregistrationPropagationSeconds = options.deregistration.propagationSeconds;
    this.algorithm = options.algorithm;
    this.createdTimeMs = options.createdTimeMs;
  }

  /**
   * A new registration is in progress for `registrationSeconds`, then gets its first check.
   * `alreadyHealthy` is for targets registered before the scenario started: they pass as healthy
   * and their next check comes at `firstCheckMs` (their phase from the unknown past registration).
   * Registering a draining target again cancels its deregistration.
   */
  register(instanceId: string, nowMs: number, alreadyHealthy = false, firstCheckMs?: number): RegisteredTarget {
    const existing = this.targets.get(instanceId);
    if (existing !== undefined && existing.deregistration === undefined) return existing;
    const registrationEndsMs = alreadyHealthy ? nowMs : nowMs + this.registrationSeconds * 1000;
    const disabled = !this.healthCheck.enabled;
    const target: RegisteredTarget = {
      instanceId,
      port: this.port,
      registeredAtMs: nowMs,
      registrationEndsMs,
      health: disabled ? "unavailable" : alreadyHealthy ? "healthy" : "initial",
      reason: disabled ? "Target.HealthCheckDisabled" : alreadyHealthy ? undefined : "Elb.RegistrationInProgress",
      consecutivePasses: alreadyHealthy ? this.healthCheck.healthyThreshold : 0,
      consecutiveFailures: 0,
      nextCheckMs: firstCheckMs ?? registrationEndsMs,
      deregistration: undefined,
    };
    this.targets.set(instanceId, target);
    return target;
  }

  /** Starts deregistration; returns false if the target was not registered (or already deregistering). */
  startDraining(instanceId: string, nowMs: number): boolean {
    const target = this.targets.get(instanceId);
    if (target === undefined || target.deregistration !== undefined) return false;
    const endsMs = nowMs + this.deregistrationDelaySeconds * 1000;
    target.deregistration = {
      startedMs: nowMs,
      routedUntilMs: Math.min(endsMs, nowMs + this.deregistrationPropagationSeconds * 1000),
      endsMs,
    };
    return true;
  }

  /** Whether the health checker is due to look at this target (checks go on while it drains). */
  checkDue(target: RegisteredTarget, nowMs: number): boolean {
    return this.healthCheck.enabled && target.nextCheckMs <= nowMs;
  }

  /**
   * Applies one health check result. A new target needs one pass to turn healthy; an unhealthy
   * one needs healthyThreshold passes in a row, a healthy (or new) one unhealthyThreshold failures.
   */
  recordCheck(target: RegisteredTarget, outcome: HealthCheckOutcome): void {
    const { healthyThreshold, unhealthyThreshold, intervalSeconds } = this.healthCheck;
    target.nextCheckMs += intervalSeconds * 1000;
    if (outcome === "passed") {
      target.consecutivePasses += 1;
      target.consecutiveFailures = 0;
      const needed = target.health === "initial" ? 1 : healthyThreshold;
      if (target.health !== "healthy" && target.consecutivePasses >= needed) {
        target.health = "healthy";
        target.reason = undefined;
      }
      return;
    }
    target.consecutiveFailures += 1;
    target.consecutivePasses = 0;
    if (target.health === "unhealthy" || target.consecutiveFailures >= unhealthyThreshold) {
      target.health = "unhealthy";
      target.reason = failureReasons[outcome];
    } else if (target.health === "initial") {
      target.reason = "Elb.InitialHealthChecking";
    }
  }

  healthOf(instanceId: string): TargetHealthView {
    const target = this.targets.get(instanceId);
    if (target === undefined) return healthView("unused", "Target.NotRegistered");
    return healthView(stateOf(target), reasonOf(target));
  }
}
