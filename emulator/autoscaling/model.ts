import { isSuspended, type AutoScalingGroupState } from "./group.ts";
import { arn, instanceIdFor, privateIpFor, sequenceUuid } from "../ec2/ids.ts";
import { advanceInstance, isActiveInstance, type InstanceLifecycleHost } from "./instance-lifecycle.ts";
import { isActiveRefresh, refreshSurge, refreshTargetTemplate, stepInstanceRefresh, type InstanceRefreshState } from "./instance-refresh.ts";
import { LaunchTemplates } from "../ec2/launch-templates-model.ts";
import { LifecycleActions } from "./lifecycle-actions.ts";
import { chooseLaunchZones } from "./placement.ts";
import { CustomTerminationPolicies, type TerminationCause } from "./custom-termination.ts";
import type { FleetInstance, LaunchTemplateRef } from "./types.ts";
import type { AlarmInvocation } from "../cloudwatch/alarm-action-router.ts";
import { requestedCapacity } from "./scaling/policy-execution.ts";
import type { AutoScalingSettings, AutoScalingWorld } from "./ports.ts";

/** The scenario's fleet was launched this long before the virtual start (grace periods are over). */
const INITIAL_FLEET_AGE_MS = 3_600_000;
const GROUP_UUID_KIND = 0xa5a5;
const ACTIVITY_UUID_KIND = 0xac71;

/**
 * EC2 Auto Scaling as physics: the scenario's group, its instances and their lifecycle, desired
 * capacity reconciliation (AZ-balanced launches, default termination policy, scale-in
 * protection), health-based replacement, lifecycle hooks and instance refresh.
 */
export class AutoScalingModel implements InstanceLifecycleHost {
  readonly world: AutoScalingWorld;
  readonly settings: AutoScalingSettings;
  readonly lifecycleActions: LifecycleActions;
  readonly launchTemplates: LaunchTemplates;
  readonly terminationPolicies: CustomTerminationPolicies;
  readonly #groups: AutoScalingGroupState[] = [];
  readonly #instances: FleetInstance[] = [];
  readonly #byId = new Map<string, FleetInstance>();
  readonly #shutdownAtMs = new Map<string, number>();
  #activitySequence = 0;

  constructor(world: AutoScalingWorld, fleet: AutoScalingSettings) {
    this.world = world;
    this.settings = fleet;
    this.lifecycleActions = new LifecycleActions(world);
    this.launchTemplates = new LaunchTemplates();
    this.terminationPolicies = new CustomTerminationPolicies(world.clock, fleet.customTerminationPolicy);
    const { region, accountId } = world;
    const createdTimeMs = world.clock.nowMs - INITIAL_FLEET_AGE_MS;
    const published = this.launchTemplates.create(fleet.launchTemplateName, fleet.publishedVersions, createdTimeMs);
    const template = { launchTemplateId: published.launchTemplateId, launchTemplateName: published.launchTemplateName };
    const targetGroup = world.elb.targetGroups()[0];
    const group: AutoScalingGroupState = {
      autoScalingGroupName: fleet.autoScalingGroupName,
      autoScalingGroupArn: arn("autoscaling", region, accountId, `autoScalingGroup:${sequenceUuid(GROUP_UUID_KIND, 1)}:autoScalingGroupName/${fleet.autoScalingGroupName}`),
      createdTimeMs,
      minSize: fleet.minSize,
      maxSize: fleet.maxSize,
      desiredCapacity: fleet.desiredCapacity,
      defaultCooldown: 300,
      availabilityZones: [...fleet.availabilityZones],
      launchTemplate: { ...template, version: fleet.launchTemplateVersion },
      healthCheckType: fleet.healthCheckType,
      healthCheckGracePeriod: fleet.healthCheckGracePeriodSeconds,
      targetGroupArns: fleet.targetRegistration === "asg" && targetGroup !== undefined ? [targetGroup.targetGroupArn] : [],
      newInstancesProtectedFromScaleIn: false,
      terminationPolicies: ["Default"],
      suspendedProcesses: new Map(fleet.suspendedProcesses.map((process) => [process, createdTimeMs])),
      lifecycleHooks: new Map(),
      scalingPolicies: new Map(),
      refreshes: [],
      liveInstances: [],
      lastScalingActivityMs: undefined,
      simpleScalingActivity: undefined,
    };
    for (const hook of fleet.lifecycleHooks) {
      group.lifecycleHooks.set(hook.name, {
        lifecycleHookName: hook.name,
        autoScalingGroupName: group.autoScalingGroupName,
        lifecycleTransition: hook.transition === "launch" ? "autoscaling:EC2_INSTANCE_LAUNCHING" : "autoscaling:EC2_INSTANCE_TERMINATING",
        heartbeatTimeoutSeconds: hook.heartbeatTimeoutSeconds,
        defaultResult: hook.defaultResult,
        notificationMetadata: undefined,
        notificationTargetArn: undefined,
        roleArn: undefined,
      });
    }
    this.#groups.push(group);
    this.#launchInitialFleet(group, targetGroup?.targetGroupArn);
    world.cloudwatch.alarmActions.route("autoscaling", (invocation) => this.#executePolicy(invocation));
  }

  /**
   * An alarm invoked a scaling policy. A suspended AlarmNotification process ("Suspend and resume
   * Amazon EC2 Auto Scaling processes": the group accepts no notifications from the alarms of its
   * scaling policies) and a disabled policy do nothing.
   */
  #executePolicy(invocation: AlarmInvocation): void {
    for (const group of this.#groups) {
      const policy = [...group.scalingPolicies.values()].find((candidate) => candidate.policyArn === invocation.actionArn);
      if (policy === undefined) continue;
      if (!policy.enabled || isSuspended(group, "AlarmNotification")) return;
      const requested = requestedCapacity({ group, policy, live: group.liveInstances, simpleActivity: group.simpleScalingActivity, nowMs: invocation.nowMs }, invocation);
      if (requested === undefined) return;
      const desired = Math.min(group.maxSize, Math.max(group.minSize, requested));
      if (policy.policyType === "SimpleScaling") group.simpleScalingActivity = { cooldownSeconds: policy.cooldown ?? group.defaultCooldown, completedAtMs: undefined };
      group.desiredCapacity = desired;
      return;
    }
  }

  groups(): readonly AutoScalingGroupState[] {
    return this.#groups;
  }

  group(name: string): AutoScalingGroupState | undefined {
    return this.#groups.find((group) => group.autoScalingGroupName === name);
  }

  /** Every instance ever launched, terminated ones included, in launch order. */
  instances(): readonly FleetInstance[] {
    return this.#instances;
  }

  instance(instanceId: string): FleetInstance | undefined {
    return this.#byId.get(instanceId);
  }

  instanceByLaunchIndex(launchIndex: number): FleetInstance | undefined {
    return this.#instances[launchIndex];
  }

  /** The group's instances that have not reached Terminated, in launch order. */
  liveInstances(group: AutoScalingGroupState): readonly FleetInstance[] {
    return group.liveInstances;
  }

  activeRefresh(group: AutoScalingGroupState): InstanceRefreshState | undefined {
    return group.refreshes.find(isActiveRefresh);
  }

  registersTargets(group: AutoScalingGroupState): boolean {
    return group.targetGroupArns.length > 0;
  }

  /** The host dies: its app drops every connection; EC2 keeps saying running, checks fail. */
  crashInstance(instanceId: string): boolean {
    const instance = this.#byId.get(instanceId);
    if (instance === undefined || instance.ec2State !== "running" || instance.crashed) return false;
    instance.crashed = true;
    this.world.physics.forceCloseAll(instanceId, "crash");
    return true;
  }

  /** Starts the ASG's termination path (deregister and wait, terminate hooks, shutdown). */
  startTermination(instance: FleetInstance, cause: string): void {
    if (instance.lifecycleState.startsWith("Terminat")) return;
    this.lifecycleActions.supersede(instance.instanceId);
    instance.lifecycleState = "Terminating";
    instance.terminationCause = cause;
    this.#deregisterTargets(instance);
  }

  chooseToTerminate(group: AutoScalingGroupState, active: readonly FleetInstance[], count: number, cause: TerminationCause, nowMs: number, respectProtection = true): FleetInstance[] {
    return this.terminationPolicies.choose(group, active, count, cause, nowMs, respectProtection);
  }

  /** Standby: out of the target groups (after their deregistration delay), not counted in capacity. */
  enterStandby(instance: FleetInstance): void {
    instance.lifecycleState = "EnteringStandby";
    this.#deregisterTargets(instance);
  }

  /**
   * Back through Pending and into the target groups. Launch hooks are not run: AWS runs them on
   * scale out, and its standby lifecycle goes Standby → Pending → InService.
   */
  exitStandby(instance: FleetInstance): void {
    instance.lifecycleState = "Pending";
    instance.returningFromStandby = true;
  }

  /** Ids for scaling activities, in AWS's UUID shape. */
  nextActivityId(): string {
    this.#activitySequence += 1;
    return sequenceUuid(ACTIVITY_UUID_KIND, this.#activitySequence);
  }

  retire(group: AutoScalingGroupState, instance: FleetInstance): void {
    group.liveInstances = group.liveInstances.filter((candidate) => candidate !== instance);
  }

  step(nowMs: number): void {
    this.lifecycleActions.step(nowMs);
    for (const group of this.#groups) {
      for (const instance of this.liveInstances(group)) advanceInstance(this, group, instance, nowMs, this.#shutdownAtMs);
      const refresh = this.activeRefresh(group);
      if (refresh !== undefined) stepInstanceRefresh(this, group, refresh, nowMs);
      this.#reconcile(group, nowMs);
      const activity = group.simpleScalingActivity;
      const settling = group.liveInstances.some((instance) => instance.lifecycleState.startsWith("Pending") || instance.lifecycleState.startsWith("Terminating"));
      if (activity !== undefined && activity.completedAtMs === undefined && !settling) activity.completedAtMs = nowMs;
    }
  }

  /** Leaving service starts deregistration (and its delay) when the ASG owns target registration. */
  #deregisterTargets(instance: FleetInstance): void {
    const group = this.group(instance.autoScalingGroupName);
    if (group === undefined || !this.registersTargets(group)) return;
    for (const targetGroupArn of group.targetGroupArns) this.world.elb.deregisterTargets(targetGroupArn, [instance.instanceId]);
  }

  /**
   * Instances to launch (positive) or terminate (negative) for the group to match its desired
   * capacity, and whether the ASG will act on it now (Launch or Terminate not suspended).
   */
  capacityGap(group: AutoScalingGroupState): { missing: number; acting: boolean } {
    let activeCount = 0;
    for (const instance of group.liveInstances) if (isActiveInstance(instance)) activeCount += 1;
    const missing = group.desiredCapacity + refreshSurge(this.activeRefresh(group)) - activeCount;
    return { missing, acting: missing !== 0 && !isSuspended(group, missing > 0 ? "Launch" : "Terminate") };
  }

  /** Launches or terminates until the active instances match the desired capacity. */
  #reconcile(group: AutoScalingGroupState, nowMs: number): void {
    const { missing } = this.capacityGap(group);
    if (missing === 0) return;
    const active = group.liveInstances.filter(isActiveInstance);
    if (missing > 0 && !isSuspended(group, "Launch")) {
      const template = refreshTargetTemplate(group, this.activeRefresh(group));
      for (const zone of chooseLaunchZones(group.availabilityZones, active, missing)) {
        const instance = this.#launch(group, zone, template, nowMs);
        advanceInstance(this, group, instance, nowMs, this.#shutdownAtMs);
      }
      group.lastScalingActivityMs = nowMs;
    } else if (missing < 0 && !isSuspended(group, "Terminate")) {
      const victims = this.chooseToTerminate(group, active, -missing, "SCALE_IN", nowMs);
      for (const instance of victims) this.startTermination(instance, "the desired capacity was lowered");
      if (victims.length > 0) group.lastScalingActivityMs = nowMs;
    }
  }

  /** `steadyState`: part of the fleet the scenario starts with (booted, not counted as a launch). */
  #launch(group: AutoScalingGroupState, zone: string, template: LaunchTemplateRef, launchTimeMs: number, steadyState = false): FleetInstance {
    const world = this.world;
    const launchIndex = this.#instances.length;
    const version = world.physics.bootProfile(template.version);
    const instance: FleetInstance = {
      instanceId: instanceIdFor(launchIndex),
      launchIndex,
      autoScalingGroupName: group.autoScalingGroupName,
      availabilityZone: zone,
      launchTemplate: { ...template },
      imageId: this.launchTemplates.imageId(template),
      privateIpAddress: privateIpFor(launchIndex),
      launchTimeMs,
      ec2State: "pending",
      lifecycleState: "Pending",
      healthStatus: "Healthy",
      protectedFromScaleIn: group.newInstancesProtectedFromScaleIn,
      bootedAtMs: launchTimeMs + version.bootSeconds * 1000,
      bootFailed: !steadyState && ((version.bootFailureRate > 0 && world.rng.chance(version.bootFailureRate)) || world.faults.neverHealthy(launchIndex)),
      versionHealthy: version.healthy,
      crashed: false,
      inServiceAtMs: undefined,
      returningFromStandby: false,
      terminationCause: undefined,
    };
    this.#instances.push(instance);
    this.#byId.set(instance.instanceId, instance);
    group.liveInstances.push(instance);
    if (!steadyState) world.stats.instancesLaunched += 1;
    return instance;
  }

  /** The scenario starts in steady state: in service, registered and healthy. */
  #launchInitialFleet(group: AutoScalingGroupState, targetGroupArn: string | undefined): void {
    const fleet = this.settings;
    const launchTimeMs = this.world.clock.nowMs - INITIAL_FLEET_AGE_MS;
    for (let i = 0; i < fleet.desiredCapacity; i++) {
      const zone = group.availabilityZones[i % group.availabilityZones.length] ?? "";
      const instance = this.#launch(group, zone, group.launchTemplate, launchTimeMs, true);
      instance.ec2State = "running";
      instance.lifecycleState = "InService";
      instance.inServiceAtMs = launchTimeMs;
      instance.protectedFromScaleIn = fleet.protectedInstances.includes(i);
    }
    if (targetGroupArn !== undefined) this.world.elb.registerHealthy(targetGroupArn, group.liveInstances.map((instance) => instance.instanceId));
  }
}
