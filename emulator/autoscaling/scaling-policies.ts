/**
 * Scaling policies as PutScalingPolicy stores them, in the API's own field names so that
 * DescribePolicies returns them unchanged. The alarms that invoke them are evaluated by
 * CloudWatch; what an invocation does is in scaling/policy-execution.ts.
 */
export interface MetricDimension {
  Name: string;
  Value: string;
}

export interface MetricStat {
  Metric: { Namespace: string; MetricName: string; Dimensions?: MetricDimension[] | undefined };
  Stat: string;
  Unit?: string | undefined;
  Period?: number | undefined;
}

export interface TargetTrackingMetricQuery {
  Id: string;
  Expression?: string | undefined;
  MetricStat?: MetricStat | undefined;
  Label?: string | undefined;
  Period?: number | undefined;
  ReturnData?: boolean | undefined;
}

export interface CustomizedMetricSpecification {
  MetricName?: string | undefined;
  Namespace?: string | undefined;
  Dimensions?: MetricDimension[] | undefined;
  Statistic?: string | undefined;
  Unit?: string | undefined;
  Period?: number | undefined;
  Metrics?: TargetTrackingMetricQuery[] | undefined;
}

export interface TargetTrackingConfiguration {
  TargetValue: number;
  DisableScaleIn: boolean;
  PredefinedMetricSpecification?: { PredefinedMetricType: string; ResourceLabel?: string | undefined } | undefined;
  CustomizedMetricSpecification?: CustomizedMetricSpecification | undefined;
}

export type PolicyType = "SimpleScaling" | "StepScaling" | "TargetTrackingScaling";

/** A step: the breach (metric − alarm threshold) in [lower, upper) gets this adjustment; a missing bound is infinite. */
export interface StepAdjustment {
  MetricIntervalLowerBound?: number | undefined;
  MetricIntervalUpperBound?: number | undefined;
  ScalingAdjustment: number;
}

/** An alarm target tracking created for the policy (DescribePolicies lists them). */
export interface PolicyAlarm {
  AlarmName: string;
  AlarmARN: string;
}

export interface ScalingPolicyRecord {
  policyName: string;
  policyArn: string;
  policyType: PolicyType;
  adjustmentType: string | undefined;
  scalingAdjustment: number | undefined;
  cooldown: number | undefined;
  estimatedInstanceWarmup: number | undefined;
  targetTrackingConfiguration: TargetTrackingConfiguration | undefined;
  stepAdjustments: StepAdjustment[] | undefined;
  minAdjustmentMagnitude: number | undefined;
  metricAggregationType: string | undefined;
  enabled: boolean;
  /** Target tracking's managed alarms, high first. */
  alarms: PolicyAlarm[];
}
