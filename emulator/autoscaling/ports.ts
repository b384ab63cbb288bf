import type { AccountContext, RandomSource } from "../account.ts";
import type { MetricAlarm } from "../cloudwatch/alarm-types.ts";
import type { EventPublisher } from "../events/types.ts";
import type { InstanceBoot, InstanceConnections, LaunchFaults, UsageCounters } from "../ports.ts";
import type { CustomTerminationSettings } from "./custom-termination.ts";
import type { ScalingProcess } from "./group.ts";
import type { TargetHealthState } from "./types.ts";
import type { AlarmActionRouter } from "../cloudwatch/alarm-action-router.ts";

/** How long the ASG waits on a target it deregistered: the whole delay, or until the load balancer holds no connection on it. */
export type DeregistrationWait = "full-delay" | "until-drained";

/** Elastic Load Balancing as Auto Scaling uses it: registering its instances and watching their target state. */
export interface TargetRegistry {
  targetGroups(): readonly { readonly targetGroupArn: string }[];
  loadBalancers(): readonly { readonly availabilityZones: readonly { readonly zoneName: string; readonly subnetId: string }[] }[];
  /** Registers targets that are healthy at once (the fleet the account starts with). */
  registerHealthy(targetGroupArn: string, instanceIds: readonly string[]): void;
  registerTargets(targetGroupArn: string, instanceIds: readonly string[]): void;
  deregisterTargets(targetGroupArn: string, instanceIds: readonly string[]): void;
  deregistrationPending(targetGroupArn: string, instanceId: string, wait: DeregistrationWait): boolean;
  targetState(targetGroupArn: string, instanceId: string): TargetHealthState;
  /** A terminated instance is no longer a target anywhere. */
  forgetInstance(instanceId: string): void;
}

/** CloudWatch as an instance refresh reads it (the state of the alarms it watches) and as scaling policies hear it (their alarms' actions). */
export interface AlarmStates {
  alarm(name: string): Pick<MetricAlarm, "StateValue"> | undefined;
  readonly alarmActions: Pick<AlarmActionRouter, "route">;
}

/** What EC2 Auto Scaling reads and moves outside itself. */
export interface AutoScalingWorld extends AccountContext {
  readonly rng: RandomSource;
  readonly stats: Pick<UsageCounters, "instancesLaunched" | "instancesTerminated" | "lifecycleCompleted" | "lifecycleTimedOut" | "duplicateCompletions" | "lifecycleHeartbeats">;
  readonly faults: LaunchFaults;
  readonly physics: InstanceConnections & InstanceBoot;
  readonly elb: TargetRegistry;
  readonly cloudwatch: AlarmStates;
  readonly events: EventPublisher;
}

export interface LifecycleHookSettings {
  readonly name: string;
  readonly transition: "launch" | "terminate";
  readonly heartbeatTimeoutSeconds: number;
  readonly defaultResult: "CONTINUE" | "ABANDON";
}

/** The account's one Auto Scaling group and its launch template, as they stand at the start. */
export interface AutoScalingSettings {
  readonly autoScalingGroupName: string;
  readonly desiredCapacity: number;
  readonly minSize: number;
  readonly maxSize: number;
  readonly availabilityZones: readonly string[];
  readonly launchTemplateName: string;
  /** The launch template version the group runs at the start. */
  readonly launchTemplateVersion: string;
  /** Versions 1..the highest of these are published before the start. */
  readonly publishedVersions: readonly string[];
  readonly healthCheckType: "EC2" | "ELB";
  readonly healthCheckGracePeriodSeconds: number;
  /** `asg`: the target group is attached to the group, which registers and deregisters its instances. */
  readonly targetRegistration: "asg" | "ebb";
  readonly asgDrainWait: DeregistrationWait;
  readonly lifecycleHooks: readonly LifecycleHookSettings[];
  /** Instances of the starting fleet protected from scale in, by launch index. */
  readonly protectedInstances: readonly number[];
  /** How a Lambda termination policy is called, where the guide gives no figure. */
  readonly customTerminationPolicy: CustomTerminationSettings;
  /** Processes already suspended at the start (a deploy's leftover, or an operator's). */
  readonly suspendedProcesses: readonly ScalingProcess[];
}
