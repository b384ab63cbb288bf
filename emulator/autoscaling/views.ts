import { SCALING_PROCESSES, type AutoScalingGroupState } from "./group.ts";
import { INSTANCE_TYPE } from "../ec2/launch-templates-model.ts";
import { globalTimeoutSeconds } from "./lifecycle-actions.ts";
import { instancesToUpdate, percentageComplete, type InstanceRefreshState } from "./instance-refresh.ts";
import type { ScalingPolicyRecord } from "./scaling-policies.ts";
import type { FleetInstance, LaunchTemplateRef, LifecycleHookSpec } from "./types.ts";
import type { EmulatedAccount } from "../account.ts";

/** Auto Scaling API shapes (field names as in @aws-sdk/client-auto-scaling). */

export const isoSeconds = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

const launchTemplateView = (template: LaunchTemplateRef) => ({
  LaunchTemplateId: template.launchTemplateId,
  LaunchTemplateName: template.launchTemplateName,
  Version: template.version,
});

const instanceFields = (instance: FleetInstance) => ({
  InstanceId: instance.instanceId,
  InstanceType: INSTANCE_TYPE,
  AvailabilityZone: instance.availabilityZone,
  LifecycleState: instance.lifecycleState,
  HealthStatus: instance.healthStatus,
  LaunchTemplate: launchTemplateView(instance.launchTemplate),
  ImageId: instance.imageId,
  ProtectedFromScaleIn: instance.protectedFromScaleIn,
});

/** DescribeAutoScalingInstances spells health in capitals. */
export const autoScalingInstanceView = (instance: FleetInstance) => ({
  ...instanceFields(instance),
  AutoScalingGroupName: instance.autoScalingGroupName,
  HealthStatus: instance.healthStatus.toUpperCase(),
});

export const groupView = (world: EmulatedAccount, group: AutoScalingGroupState) => ({
  AutoScalingGroupName: group.autoScalingGroupName,
  AutoScalingGroupARN: group.autoScalingGroupArn,
  LaunchTemplate: launchTemplateView(group.launchTemplate),
  MinSize: group.minSize,
  MaxSize: group.maxSize,
  DesiredCapacity: group.desiredCapacity,
  DefaultCooldown: group.defaultCooldown,
  AvailabilityZones: group.availabilityZones,
  LoadBalancerNames: [],
  TargetGroupARNs: group.targetGroupArns,
  TrafficSources: group.targetGroupArns.map((arn) => ({ Identifier: arn, Type: "elbv2" })),
  HealthCheckType: group.healthCheckType,
  HealthCheckGracePeriod: group.healthCheckGracePeriod,
  Instances: world.autoscaling.liveInstances(group).map(instanceFields),
  CreatedTime: new Date(group.createdTimeMs),
  SuspendedProcesses: SCALING_PROCESSES.filter((process) => group.suspendedProcesses.has(process)).map((process) => ({
    ProcessName: process,
    SuspensionReason: `User suspended at ${isoSeconds(group.suspendedProcesses.get(process) ?? 0)}`,
  })),
  EnabledMetrics: [],
  Tags: [],
  TerminationPolicies: group.terminationPolicies,
  NewInstancesProtectedFromScaleIn: group.newInstancesProtectedFromScaleIn,
  ServiceLinkedRoleARN: `arn:aws:iam::${world.accountId}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`,
  CapacityRebalance: false,
});

/** The response to a call that starts scaling activities. */
export const activityView = (world: EmulatedAccount, group: AutoScalingGroupState, description: string, cause: string) => ({
  ActivityId: world.autoscaling.nextActivityId(),
  AutoScalingGroupName: group.autoScalingGroupName,
  AutoScalingGroupARN: group.autoScalingGroupArn,
  Description: description,
  Cause: `At ${isoSeconds(world.clock.nowMs)} ${cause}.`,
  StartTime: world.clock.now(),
  StatusCode: "InProgress",
  Progress: 0,
  Details: "{}",
});

export const lifecycleHookView = (hook: LifecycleHookSpec) => ({
  LifecycleHookName: hook.lifecycleHookName,
  AutoScalingGroupName: hook.autoScalingGroupName,
  LifecycleTransition: hook.lifecycleTransition,
  NotificationTargetARN: hook.notificationTargetArn,
  RoleARN: hook.roleArn,
  NotificationMetadata: hook.notificationMetadata,
  HeartbeatTimeout: hook.heartbeatTimeoutSeconds,
  GlobalTimeout: globalTimeoutSeconds(hook.heartbeatTimeoutSeconds),
  DefaultResult: hook.defaultResult,
});

export const instanceRefreshView = (refresh: InstanceRefreshState) => {
  const { preferences, rollback } = refresh;
  return {
    InstanceRefreshId: refresh.instanceRefreshId,
    AutoScalingGroupName: refresh.autoScalingGroupName,
    Status: refresh.status,
    StatusReason: refresh.statusReason,
    StartTime: new Date(refresh.startTimeMs),
    EndTime: refresh.endTimeMs === undefined ? undefined : new Date(refresh.endTimeMs),
    PercentageComplete: percentageComplete(refresh),
    InstancesToUpdate: instancesToUpdate(refresh),
    ProgressDetails: {
      LivePoolProgress: { PercentageComplete: percentageComplete(refresh), InstancesToUpdate: instancesToUpdate(refresh) },
    },
    Preferences: {
      MinHealthyPercentage: preferences.minHealthyPercentage,
      MaxHealthyPercentage: preferences.maxHealthyPercentage,
      InstanceWarmup: preferences.instanceWarmup,
      CheckpointPercentages: preferences.checkpointPercentages.length === 0 ? undefined : preferences.checkpointPercentages,
      CheckpointDelay: preferences.checkpointPercentages.length === 0 ? undefined : preferences.checkpointDelay,
      SkipMatching: preferences.skipMatching,
      AutoRollback: preferences.autoRollback,
      ScaleInProtectedInstances: preferences.scaleInProtectedInstances,
      StandbyInstances: preferences.standbyInstances,
      AlarmSpecification: preferences.alarms.length === 0 ? undefined : { Alarms: preferences.alarms },
      BakeTime: preferences.bakeTime,
    },
    DesiredConfiguration:
      refresh.desiredLaunchTemplate === undefined ? undefined : { LaunchTemplate: launchTemplateView(refresh.desiredLaunchTemplate) },
    RollbackDetails:
      rollback === undefined
        ? undefined
        : {
            RollbackReason: rollback.reason,
            RollbackStartTime: new Date(rollback.startTimeMs),
            PercentageCompleteOnRollback: rollback.percentageCompleteOnRollback,
            InstancesToUpdateOnRollback: rollback.instancesToUpdateOnRollback,
          },
    Strategy: "Rolling",
  };
};

export const scalingPolicyView = (group: AutoScalingGroupState, policy: ScalingPolicyRecord) => ({
  AutoScalingGroupName: group.autoScalingGroupName,
  PolicyName: policy.policyName,
  PolicyARN: policy.policyArn,
  PolicyType: policy.policyType,
  AdjustmentType: policy.adjustmentType,
  ScalingAdjustment: policy.scalingAdjustment,
  Cooldown: policy.cooldown,
  EstimatedInstanceWarmup: policy.estimatedInstanceWarmup,
  TargetTrackingConfiguration: policy.targetTrackingConfiguration,
  StepAdjustments: policy.stepAdjustments,
  MinAdjustmentMagnitude: policy.minAdjustmentMagnitude,
  MetricAggregationType: policy.metricAggregationType,
  Alarms: policy.alarms,
  Enabled: policy.enabled,
});
