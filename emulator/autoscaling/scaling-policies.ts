/**
 * Scaling policies as PutScalingPolicy stores them, in the API's own field names so that
 * DescribePolicies returns them unchanged. The physics does not evaluate them yet: target
 * tracking on a customized metric is evaluated by a later model that reads these records
 * through AutoScalingModel.group(name).scalingPolicies.
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

export interface ScalingPolicyRecord {
  policyName: string;
  policyArn: string;
  policyType: PolicyType;
  adjustmentType: string | undefined;
  scalingAdjustment: number | undefined;
  cooldown: number | undefined;
  estimatedInstanceWarmup: number | undefined;
  targetTrackingConfiguration: TargetTrackingConfiguration | undefined;
  enabled: boolean;
}
