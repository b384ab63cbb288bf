import type { InstanceRefreshState } from "./instance-refresh.ts";
import type { ScalingPolicyRecord } from "./scaling-policies.ts";
import type { SimpleScalingActivity } from "./scaling/policy-execution.ts";
import type { FleetInstance, LaunchTemplateRef, LifecycleHookSpec } from "./types.ts";

export const SCALING_PROCESSES = [
  "Launch",
  "Terminate",
  "AddToLoadBalancer",
  "AlarmNotification",
  "AZRebalance",
  "HealthCheck",
  "InstanceRefresh",
  "ReplaceUnhealthy",
  "ScheduledActions",
] as const;
export type ScalingProcess = (typeof SCALING_PROCESSES)[number];

/** One Auto Scaling group's configuration and its live instances. */
export interface AutoScalingGroupState {
  readonly autoScalingGroupName: string;
  readonly autoScalingGroupArn: string;
  readonly createdTimeMs: number;
  minSize: number;
  maxSize: number;
  desiredCapacity: number;
  defaultCooldown: number;
  availabilityZones: string[];
  launchTemplate: LaunchTemplateRef;
  healthCheckType: "EC2" | "ELB";
  healthCheckGracePeriod: number;
  readonly targetGroupArns: string[];
  newInstancesProtectedFromScaleIn: boolean;
  /** In order; a Lambda function ARN, if any, comes first (custom-termination.ts). */
  terminationPolicies: string[];
  /** Suspended process → when it was suspended. */
  readonly suspendedProcesses: Map<ScalingProcess, number>;
  readonly lifecycleHooks: Map<string, LifecycleHookSpec>;
  readonly scalingPolicies: Map<string, ScalingPolicyRecord>;
  readonly refreshes: InstanceRefreshState[];
  /** The last simple scaling policy's activity, until the next one replaces it. */
  simpleScalingActivity: SimpleScalingActivity | undefined;
  /** When the group last launched or terminated for capacity (for HonorCooldown). */
  lastScalingActivityMs: number | undefined;
  /** Live (not yet Terminated) instances in launch order; replaced, never edited in place, on retirement. */
  liveInstances: FleetInstance[];
}

export const isSuspended = (group: AutoScalingGroupState, process: ScalingProcess): boolean => group.suspendedProcesses.has(process);
