import { z } from "zod";
import { arn, sequenceUuid } from "../../ec2/ids.ts";
import type { ScalingPolicyRecord } from "../scaling-policies.ts";
import { boolean, integer, list, number } from "../../protocol/coerce.ts";
import { validationError } from "../../protocol/errors.ts";
import type { ActionHandler } from "../../protocol/service-types.ts";
import { groupName, maxRecords, nextToken, recordsPage, requireGroup } from "./lookup.ts";
import { scalingPolicyView } from "../views.ts";
import { putManagedAlarms } from "../scaling/managed-alarms.ts";

const POLICY_UUID_KIND = 0x9011;
const dimension = z.object({ Name: z.string().min(1), Value: z.string().min(1) });

const metricQuery = z.object({
  Id: z.string().min(1).max(255),
  Expression: z.string().min(1).max(2047).optional(),
  MetricStat: z
    .object({
      Metric: z.object({ Namespace: z.string().min(1), MetricName: z.string().min(1), Dimensions: list(dimension).optional() }),
      Stat: z.string().min(1),
      Unit: z.string().optional(),
      Period: integer.optional(),
    })
    .optional(),
  Label: z.string().optional(),
  Period: integer.optional(),
  ReturnData: boolean.optional(),
});

const targetTracking = z.object({
  TargetValue: number,
  DisableScaleIn: boolean.optional(),
  PredefinedMetricSpecification: z.object({ PredefinedMetricType: z.string().min(1), ResourceLabel: z.string().optional() }).optional(),
  CustomizedMetricSpecification: z
    .object({
      MetricName: z.string().optional(),
      Namespace: z.string().optional(),
      Dimensions: list(dimension).optional(),
      Statistic: z.enum(["Average", "Minimum", "Maximum", "SampleCount", "Sum"]).optional(),
      Unit: z.string().optional(),
      Period: integer.optional(),
      Metrics: list(metricQuery).optional(),
    })
    .optional(),
});

const stepAdjustment = z.object({
  MetricIntervalLowerBound: number.optional(),
  MetricIntervalUpperBound: number.optional(),
  ScalingAdjustment: integer,
});

const putSchema = z.object({
  AutoScalingGroupName: groupName,
  PolicyName: z.string().min(1).max(255),
  PolicyType: z.enum(["SimpleScaling", "StepScaling", "TargetTrackingScaling"]).optional(),
  AdjustmentType: z.enum(["ChangeInCapacity", "ExactCapacity", "PercentChangeInCapacity"]).optional(),
  ScalingAdjustment: integer.optional(),
  Cooldown: integer.optional(),
  EstimatedInstanceWarmup: integer.optional(),
  TargetTrackingConfiguration: targetTracking.optional(),
  StepAdjustments: list(stepAdjustment).optional(),
  MinAdjustmentMagnitude: integer.pipe(z.number().min(1)).optional(),
  MetricAggregationType: z.enum(["Minimum", "Maximum", "Average"]).optional(),
  Enabled: boolean.optional(),
});

/**
 * Stores the policy as given; a target tracking policy also gets its managed alarms (created
 * first, so a metric the emulator cannot alarm on rejects the call and stores nothing).
 */
export const putScalingPolicy: ActionHandler = (params, { world }) => {
  const request = putSchema.parse(params);
  const group = requireGroup(world, request.AutoScalingGroupName);
  const policyType = request.PolicyType ?? "SimpleScaling";
  const tracking = request.TargetTrackingConfiguration;
  if (policyType === "TargetTrackingScaling") {
    if (tracking === undefined) throw validationError("TargetTrackingConfiguration is required for policy type TargetTrackingScaling");
    if ((tracking.PredefinedMetricSpecification === undefined) === (tracking.CustomizedMetricSpecification === undefined)) {
      throw validationError("Exactly one of PredefinedMetricSpecification and CustomizedMetricSpecification must be specified");
    }
  } else if (policyType === "SimpleScaling" && (request.ScalingAdjustment === undefined || request.AdjustmentType === undefined)) {
    throw validationError("ScalingAdjustment and AdjustmentType are required for policy type SimpleScaling");
  } else if (policyType === "StepScaling" && (request.StepAdjustments === undefined || request.StepAdjustments.length === 0)) {
    throw validationError("StepAdjustments is required for policy type StepScaling");
  }
  const existing = group.scalingPolicies.get(request.PolicyName);
  const policyArn =
    existing?.policyArn ??
    arn("autoscaling", world.region, world.accountId,
      `scalingPolicy:${sequenceUuid(POLICY_UUID_KIND, group.scalingPolicies.size + 1)}:autoScalingGroupName/${group.autoScalingGroupName}:policyName/${request.PolicyName}`);
  const targetTrackingConfiguration = tracking === undefined ? undefined : { ...tracking, DisableScaleIn: tracking.DisableScaleIn ?? false };
  const alarms =
    policyType === "TargetTrackingScaling" && targetTrackingConfiguration !== undefined
      ? putManagedAlarms(world, group.autoScalingGroupName, { policyArn, alarms: existing?.alarms ?? [] }, targetTrackingConfiguration)
      : [];
  const policy: ScalingPolicyRecord = {
    policyName: request.PolicyName,
    policyArn,
    policyType,
    adjustmentType: request.AdjustmentType,
    scalingAdjustment: request.ScalingAdjustment,
    cooldown: request.Cooldown,
    estimatedInstanceWarmup: request.EstimatedInstanceWarmup,
    targetTrackingConfiguration,
    stepAdjustments: request.StepAdjustments,
    minAdjustmentMagnitude: request.MinAdjustmentMagnitude,
    metricAggregationType: request.MetricAggregationType,
    enabled: request.Enabled ?? true,
    alarms,
  };
  group.scalingPolicies.set(policy.policyName, policy);
  return { PolicyARN: policy.policyArn, Alarms: alarms };
};

const describeSchema = z.object({
  AutoScalingGroupName: groupName.optional(),
  PolicyNames: list(z.string().min(1)).optional(),
  PolicyTypes: list(z.string().min(1)).optional(),
  NextToken: nextToken,
  MaxRecords: maxRecords(100),
});

export const describePolicies: ActionHandler = (params, { world }) => {
  const request = describeSchema.parse(params);
  const groups = request.AutoScalingGroupName === undefined ? world.autoscaling.groups() : [requireGroup(world, request.AutoScalingGroupName)];
  const names = request.PolicyNames ?? [];
  const types = request.PolicyTypes ?? [];
  const policies = groups.flatMap((group) =>
    [...group.scalingPolicies.values()]
      .filter((policy) => (names.length === 0 || names.includes(policy.policyName)) && (types.length === 0 || types.includes(policy.policyType)))
      .map((policy) => scalingPolicyView(group, policy)),
  );
  const { page, NextToken } = recordsPage(policies, request);
  return { ScalingPolicies: page, NextToken };
};
