import { isSuspended, type AutoScalingGroupState } from "./group.ts";
import type { LifecycleActions } from "./lifecycle-actions.ts";
import type { FleetInstance } from "./types.ts";
import { publishScalingEvent } from "./scaling-events.ts";
import type { TerminationCause } from "./custom-termination.ts";
import type { AutoScalingSettings, AutoScalingWorld } from "./ports.ts";

const CAPACITY_CAUSE = "an instance was started in response to a difference between desired and actual capacity";

/** EC2 reports `running` this long after launch (the app may still be booting). */
export const EC2_START_SECONDS = 5;
/** `shutting-down` lasts this long before EC2 reports `terminated`. */
export const EC2_SHUTDOWN_SECONDS = 5;

/** Counts toward the desired capacity: launching or in service (not standby, not terminating). */
export const isActiveInstance = (instance: FleetInstance): boolean =>
  instance.lifecycleState === "InService" || instance.lifecycleState.startsWith("Pending");

export interface InstanceLifecycleHost {
  readonly world: AutoScalingWorld;
  readonly settings: AutoScalingSettings;
  readonly lifecycleActions: LifecycleActions;
  /** Ids for scaling activities, in AWS's UUID shape. */
  nextActivityId(): string;
  /** Target groups are attached and the ASG (not Ebb) registers and deregisters targets. */
  registersTargets(group: AutoScalingGroupState): boolean;
  startTermination(instance: FleetInstance, cause: string): void;
  /** The group's termination policies: which of `active` to terminate now (possibly fewer than `count`). */
  chooseToTerminate(group: AutoScalingGroupState, active: readonly FleetInstance[], count: number, cause: TerminationCause, nowMs: number, respectProtection?: boolean): FleetInstance[];
  /** The instance reached Terminated: drop it from its group's live list. */
  retire(group: AutoScalingGroupState, instance: FleetInstance): void;
}

/**
 * Moves one instance through the Auto Scaling lifecycle as far as it can go at `nowMs`:
 * Pending → [Pending:Wait] → Pending:Proceed → InService, and Terminating → (wait for target
 * deregistration) → [Terminating:Wait] → Terminating:Proceed → Terminated.
 */
export const advanceInstance = (host: InstanceLifecycleHost, group: AutoScalingGroupState, instance: FleetInstance, nowMs: number, shutdownAtMs: Map<string, number>): void => {
  for (let transitions = 0; transitions < 8; transitions++) {
    if (!advanceOnce(host, group, instance, nowMs, shutdownAtMs)) return;
  }
};

const advanceOnce = (host: InstanceLifecycleHost, group: AutoScalingGroupState, instance: FleetInstance, nowMs: number, shutdownAtMs: Map<string, number>): boolean => {
  const { world, lifecycleActions } = host;
  const id = instance.instanceId;
  switch (instance.lifecycleState) {
    case "Pending":
      if (instance.ec2State === "pending") {
        if (nowMs < instance.launchTimeMs + EC2_START_SECONDS * 1000) return false;
        instance.ec2State = "running";
      }
      instance.lifecycleState = lifecycleActions.begin(group, instance, "autoscaling:EC2_INSTANCE_LAUNCHING") > 0 ? "Pending:Wait" : "Pending:Proceed";
      return true;
    case "Pending:Wait": {
      const outcome = lifecycleActions.outcome(id);
      if (outcome === undefined) return false;
      if (outcome === "ABANDON") {
        publishScalingEvent(host, group, instance, "EC2 Instance Launch Unsuccessful", {
          startedAtMs: instance.launchTimeMs,
          cause: CAPACITY_CAUSE,
          statusMessage: "Instance failed to complete user's Lifecycle Action: Lifecycle Action Completed with ABANDON Result",
        });
        host.startTermination(instance, "the launch lifecycle action was abandoned");
      } else instance.lifecycleState = "Pending:Proceed";
      return true;
    }
    case "Pending:Proceed":
      if (host.registersTargets(group) && !isSuspended(group, "AddToLoadBalancer")) {
        for (const targetGroupArn of group.targetGroupArns) world.elb.registerTargets(targetGroupArn, [id]);
      }
      // A launch ends once; an instance back from Standby was announced when it first did.
      if (instance.inServiceAtMs === undefined) {
        publishScalingEvent(host, group, instance, "EC2 Instance Launch Successful", { startedAtMs: instance.launchTimeMs, cause: CAPACITY_CAUSE });
      }
      instance.lifecycleState = "InService";
      instance.inServiceAtMs = nowMs;
      return true;
    case "InService":
      return checkHealth(host, group, instance, nowMs);
    case "EnteringStandby":
      if (awaitsDeregistration(host, group, id)) return false;
      instance.lifecycleState = "Standby";
      return true;
    case "Terminating":
      if (awaitsDeregistration(host, group, id)) return false;
      instance.lifecycleState = lifecycleActions.begin(group, instance, "autoscaling:EC2_INSTANCE_TERMINATING") > 0 ? "Terminating:Wait" : "Terminating:Proceed";
      return true;
    case "Terminating:Wait":
      if (lifecycleActions.outcome(id) === undefined) return false;
      instance.lifecycleState = "Terminating:Proceed";
      return true;
    case "Terminating:Proceed":
      return shutDown(host, group, instance, nowMs, shutdownAtMs);
    case "Standby":
    case "Terminated":
      return false;
  }
};

/**
 * With target groups attached the ASG deregisters an instance leaving service and waits for its
 * connection draining: the whole deregistration delay by default (fleet.asgDrainWait).
 */
const awaitsDeregistration = (host: InstanceLifecycleHost, group: AutoScalingGroupState, instanceId: string): boolean => {
  if (!host.registersTargets(group)) return false;
  const { world } = host;
  return group.targetGroupArns.some((arn) => world.elb.deregistrationPending(arn, instanceId, host.settings.asgDrainWait));
};

/** The activity cause of the ASG's own health replacement (ReplaceUnhealthy), as its activities word it. */
export const HEALTH_REPLACEMENT_CAUSE = "an instance was taken out of service in response to a health check";

/**
 * The ASG's own health check. EC2 status stays ok for a crashed app (the instance keeps running),
 * so only type ELB notices it, through the target groups, once the grace period is over.
 */
const checkHealth = (host: InstanceLifecycleHost, group: AutoScalingGroupState, instance: FleetInstance, nowMs: number): boolean => {
  if (instance.healthStatus === "Healthy" && !isSuspended(group, "HealthCheck")) {
    const graceOver = nowMs >= (instance.inServiceAtMs ?? nowMs) + group.healthCheckGracePeriod * 1000;
    const failsElb =
      group.healthCheckType === "ELB" &&
      group.targetGroupArns.some((arn) => host.world.elb.targetState(arn, instance.instanceId) === "unhealthy");
    if (graceOver && failsElb) instance.healthStatus = "Unhealthy";
  }
  if (instance.healthStatus === "Unhealthy" && !isSuspended(group, "ReplaceUnhealthy")) {
    host.startTermination(instance, HEALTH_REPLACEMENT_CAUSE);
    return true;
  }
  return false;
};

const shutDown = (host: InstanceLifecycleHost, group: AutoScalingGroupState, instance: FleetInstance, nowMs: number, shutdownAtMs: Map<string, number>): boolean => {
  const { world } = host;
  const id = instance.instanceId;
  if (instance.ec2State === "pending" || instance.ec2State === "running") {
    world.physics.forceCloseAll(id, "termination");
    world.elb.forgetInstance(id);
    instance.ec2State = "shutting-down";
    shutdownAtMs.set(id, nowMs);
    return false;
  }
  const shutdownStartMs = shutdownAtMs.get(id) ?? nowMs;
  if (nowMs < shutdownStartMs + EC2_SHUTDOWN_SECONDS * 1000) return false;
  shutdownAtMs.delete(id);
  instance.ec2State = "terminated";
  instance.lifecycleState = "Terminated";
  publishScalingEvent(host, group, instance, "EC2 Instance Terminate Successful", {
    startedAtMs: shutdownStartMs,
    cause: `an instance was taken out of service: ${instance.terminationCause ?? "it was terminated"}`,
  });
  world.stats.instancesTerminated += 1;
  host.retire(group, instance);
  return false;
};
