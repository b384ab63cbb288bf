import type { TargetHealthReason, TargetHealthState, TargetHealthView } from "../autoscaling/types.ts";

export interface HealthCheckSettings {
  path: string;
  intervalSeconds: number;
  timeoutSeconds: number;
  healthyThreshold: number;
  unhealthyThreshold: number;
}

export type LoadBalancingAlgorithm = "round_robin" | "least_outstanding_requests";

export interface RegisteredTarget {
  readonly instanceId: string;
  readonly port: number;
  readonly registeredAtMs: number;
  state: TargetHealthState;
  reason: TargetHealthReason | undefined;
  consecutivePasses: number;
  consecutiveFailures: number;
  /** Health checks run per target on its own schedule, staggered by registration time. */
  nextCheckMs: number;
  /** Set while draining: when the load balancer gives up waiting and closes what is open. */
  drainEndsMs: number | undefined;
}

const descriptions: Record<TargetHealthReason, string> = {
  "Elb.RegistrationInProgress": "Target registration is in progress",
  "Elb.InitialHealthChecking": "Initial health checks in progress",
  "Target.FailedHealthChecks": "Health checks failed",
  "Target.DeregistrationInProgress": "Target deregistration is in progress",
  "Target.NotRegistered": "Target is not registered to the target group",
  "Target.InvalidState": "Target is in the terminated state",
};

export const healthView = (state: TargetHealthState, reason: TargetHealthReason | undefined): TargetHealthView => ({
  state,
  reason,
  description: reason === undefined ? undefined : descriptions[reason],
});

/** One ELBv2 target group: its settings and the health state machine of each registered target. */
export class TargetGroup {
  readonly targetGroupArn: string;
  readonly targetGroupName: string;
  readonly port: number;
  readonly healthCheck: HealthCheckSettings;
  readonly createdTimeMs: number;
  deregistrationDelaySeconds: number;
  algorithm: LoadBalancingAlgorithm;
  readonly loadBalancerArns: string[] = [];
  readonly targets = new Map<string, RegisteredTarget>();

  constructor(options: {
    targetGroupArn: string;
    targetGroupName: string;
    port: number;
    healthCheck: HealthCheckSettings;
    deregistrationDelaySeconds: number;
    algorithm: LoadBalancingAlgorithm;
    createdTimeMs: number;
  }) {
    this.targetGroupArn = options.targetGroupArn;
    this.targetGroupName = options.targetGroupName;
    this.port = options.port;
    this.healthCheck = options.healthCheck;
    this.deregistrationDelaySeconds = options.deregistrationDelaySeconds;
    this.algorithm = options.algorithm;
    this.createdTimeMs = options.createdTimeMs;
  }

  /**
   * `alreadyHealthy` is for targets registered before the scenario started: they pass as healthy
   * and their next check comes at `firstCheckMs` (their phase from the unknown past registration).
   */
  register(instanceId: string, nowMs: number, alreadyHealthy = false, firstCheckMs = nowMs + this.healthCheck.intervalSeconds * 1000): RegisteredTarget {
    const existing = this.targets.get(instanceId);
    if (existing !== undefined && existing.state !== "draining") return existing;
    const target: RegisteredTarget = {
      instanceId,
      port: this.port,
      registeredAtMs: nowMs,
      state: alreadyHealthy ? "healthy" : "initial",
      reason: alreadyHealthy ? undefined : "Elb.RegistrationInProgress",
      consecutivePasses: alreadyHealthy ? this.healthCheck.healthyThreshold : 0,
      consecutiveFailures: 0,
      nextCheckMs: firstCheckMs,
      drainEndsMs: undefined,
    };
    this.targets.set(instanceId, target);
    return target;
  }

  /** Starts draining; returns false if the target was not registered (or already draining). */
  startDraining(instanceId: string, nowMs: number): boolean {
    const target = this.targets.get(instanceId);
    if (target === undefined || target.state === "draining") return false;
    target.state = "draining";
    target.reason = "Target.DeregistrationInProgress";
    target.drainEndsMs = nowMs + this.deregistrationDelaySeconds * 1000;
    return true;
  }

  /** Applies one health check result with the group's thresholds. */
  recordCheck(target: RegisteredTarget, passed: boolean): void {
    const { healthyThreshold, unhealthyThreshold, intervalSeconds } = this.healthCheck;
    target.nextCheckMs += intervalSeconds * 1000;
    if (passed) {
      target.consecutivePasses += 1;
      target.consecutiveFailures = 0;
    } else {
      target.consecutiveFailures += 1;
      target.consecutivePasses = 0;
    }
    if (target.state === "initial") target.reason = "Elb.InitialHealthChecking";
    if (target.state !== "healthy" && target.consecutivePasses >= healthyThreshold) {
      target.state = "healthy";
      target.reason = undefined;
    } else if (target.state !== "unhealthy" && target.consecutiveFailures >= unhealthyThreshold) {
      target.state = "unhealthy";
      target.reason = "Target.FailedHealthChecks";
    }
  }

  healthOf(instanceId: string): TargetHealthView {
    const target = this.targets.get(instanceId);
    if (target === undefined) return healthView("unused", "Target.NotRegistered");
    return healthView(target.state, target.reason);
  }
}
