import type { StageConfig } from "../core/stage.ts";
import { FLEET_METRIC_NAMES, FLEET_METRICS_NAMESPACE } from "../core/scaling/publisher.ts";
import { resourceName } from "./arns.ts";

/**
 * Connection-aware scaling as deployed, in the AWS APIs' own field names (PutScalingPolicy,
 * PutMetricAlarm): infra/resources creates these with Pulumi and the local simulation sends the
 * same objects through the SDK, so both run one definition.
 */

const groupDimension = (groupName: string) => [{ Name: "AutoScalingGroupName", Value: groupName }];

export interface TargetTrackingPolicyDefinition {
  readonly AutoScalingGroupName: string;
  readonly PolicyName: string;
  readonly PolicyType: "TargetTrackingScaling";
  readonly EstimatedInstanceWarmup: number;
  readonly TargetTrackingConfiguration: {
    readonly TargetValue: number;
    readonly DisableScaleIn: boolean;
    readonly CustomizedMetricSpecification: {
      readonly Namespace: string;
      readonly MetricName: string;
      readonly Dimensions: readonly { readonly Name: string; readonly Value: string }[];
      readonly Statistic: "Average";
    };
  };
}

/** Target tracking on ConnectionsPerHealthyInstance, warmup per stage (scaling.instanceWarmupSeconds says why). */
export function connectionTrackingPolicy(stage: StageConfig, groupName: string): TargetTrackingPolicyDefinition {
  return {
    AutoScalingGroupName: groupName,
    PolicyName: resourceName(stage.stage, "connections-per-instance", "scalingPolicy"),
    PolicyType: "TargetTrackingScaling",
    EstimatedInstanceWarmup: stage.scaling.instanceWarmupSeconds,
    TargetTrackingConfiguration: {
      TargetValue: stage.scaling.targetConnectionsPerInstance,
      DisableScaleIn: false,
      CustomizedMetricSpecification: {
        Namespace: FLEET_METRICS_NAMESPACE,
        MetricName: FLEET_METRIC_NAMES.connectionsPerHealthyInstance,
        Dimensions: groupDimension(groupName),
        Statistic: "Average",
      },
    },
  };
}

export interface SkewAlarmDefinition {
  readonly AlarmName: string;
  readonly AlarmDescription: string;
  readonly Namespace: string;
  readonly MetricName: string;
  readonly Dimensions: readonly { readonly Name: string; readonly Value: string }[];
  readonly Statistic: "Maximum";
  readonly Period: 60;
  readonly EvaluationPeriods: number;
  readonly DatapointsToAlarm: number;
  readonly Threshold: number;
  readonly ComparisonOperator: "GreaterThanThreshold";
  readonly TreatMissingData: "notBreaching";
}

/** A scale out leaves new instances empty for a minute or two (skew spikes); only a lasting imbalance alarms. */
const SKEW_ALARM_MINUTES = 5;

/**
 * ConnectionSkew above the stage's threshold (the seeds' ±20%) for five minutes. Its name
 * deliberately avoids alarmNamePrefix: those alarms trigger remediation, and an uneven spread is no
 * reason to replace an instance.
 */
export function skewAlarm(stage: StageConfig, groupName: string): SkewAlarmDefinition {
  return {
    AlarmName: resourceName(stage.stage, `${groupName}-connection-skew`, "alarm"),
    AlarmDescription: `Connections on ${groupName} are unevenly spread: the busiest healthy instance holds more than ${stage.scaling.skewAlarmThreshold}× the mean.`,
    Namespace: FLEET_METRICS_NAMESPACE,
    MetricName: FLEET_METRIC_NAMES.connectionSkew,
    Dimensions: groupDimension(groupName),
    Statistic: "Maximum",
    Period: 60,
    EvaluationPeriods: SKEW_ALARM_MINUTES,
    DatapointsToAlarm: SKEW_ALARM_MINUTES,
    Threshold: stage.scaling.skewAlarmThreshold,
    ComparisonOperator: "GreaterThanThreshold",
    TreatMissingData: "notBreaching",
  };
}
