import type { FleetInstance } from "./autoscaling/types.ts";
import type { HealthCheckOutcome } from "./elbv2/target-group.ts";
import type { TransientFaultKind } from "./protocol/catalog.ts";
import type { ServiceName } from "./protocol/service-types.ts";
import type { InvocationFault, ScriptRun } from "./ssm/types.ts";

/*
 * What the AWS models ask of the world around them. AWS itself does not know how many
 * connections a host holds or whether its app answers; the simulated world does, and implements
 * these ports. Each model takes only the ports it uses.
 */

/** Who closed an instance's connections by force. */
export type ForcedCloseCause = "deregistration-delay" | "termination" | "crash";

/** The client connections the app on each instance holds. */
export interface InstanceConnections {
  connectionsOf(instanceId: string): number;
  totalConnections(): number;
  /** Every connection the instance holds is cut now (the ALB's delay expiry, a termination, a crash). */
  forceCloseAll(instanceId: string, cause: ForcedCloseCause): void;
}

/** What a load balancer's health check of a target gets at a given time. */
export interface TargetHealthProbe {
  healthCheckOutcome(instanceId: string, atMs: number): HealthCheckOutcome;
}

/** The shell on an instance, as the SSM Agent runs a script there. */
export interface InstanceShell {
  runShellScript(instanceId: string, commands: readonly string[]): ScriptRun;
}

/** What EC2's instance status check gets when it probes a host's network interface (ARP reachability). */
export interface InstanceReachability {
  reachable(instanceId: string): boolean;
}

/** How an instance launched from a launch template version boots (the AMI and its app). */
export interface BootProfile {
  /** Seconds from launch until the app answers health checks. */
  readonly bootSeconds: number;
  /** Fraction of launches whose instance never boots. */
  readonly bootFailureRate: number;
  /** false: the app never passes its health check. */
  readonly healthy: boolean;
}

export interface InstanceBoot {
  bootProfile(launchTemplateVersion: string): BootProfile;
}

/** Everything the models ask of the physics, for whoever wires them. */
export type FleetPhysics = InstanceConnections & TargetHealthProbe & InstanceShell & InstanceBoot & InstanceReachability;

/** Counters the models and the router add to; the simulation's report reads them. */
export interface UsageCounters {
  instancesLaunched: number;
  instancesTerminated: number;
  lifecycleCompleted: number;
  lifecycleTimedOut: number;
  duplicateCompletions: number;
  lifecycleHeartbeats: number;
  throttled: number;
  readonly apiCalls: ReadonlyMap<string, number>;
  /** Metrics GetMetricData was asked for (CloudWatch bills per metric requested, not per call). */
  metricsRequested: number;
  countApiCall(service: string, action: string, nowMs: number): void;
}

export type ApiFaultKind = "throttle" | "server-error" | TransientFaultKind;

/** Injected API errors: whether this call fails, and how. */
export interface ApiFaults {
  apiFault(service: ServiceName, action: string): ApiFaultKind | undefined;
}

/** Injected launch failures: the app on this instance never comes up, whatever its version. */
export interface LaunchFaults {
  neverHealthy(launchIndex: number): boolean;
}

/** Injected Run Command failures: how an invocation on this instance fails, if it does (drawn per invocation). */
export interface SsmFaults {
  ssmFault(instance: Pick<FleetInstance, "launchIndex">): InvocationFault | undefined;
}
