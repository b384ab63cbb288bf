import { z } from "zod";
import { SCALING_PROCESSES, type AutoScalingGroupState } from "../group.ts";
import { boolean, integer, list } from "../../protocol/coerce.ts";
import { validationError } from "../../protocol/errors.ts";
import type { ActionHandler } from "../../protocol/service-types.ts";
import { groupName, instanceId, launchTemplateSpecification, maxRecords, nextToken, recordsPage, requireGroup, scalingActivityInProgress } from "./lookup.ts";
import { autoScalingInstanceView, groupView } from "../views.ts";
import { LAMBDA_POLICY } from "../custom-termination.ts";

const describeGroupsSchema = z.object({
  AutoScalingGroupNames: list(groupName).optional(),
  Filters: list(z.object({ Name: z.string().min(1), Values: list(z.string()).optional() })).optional(),
  NextToken: nextToken,
  MaxRecords: maxRecords(100),
});

/** The emulated groups carry no tags, so a tag filter matches none of them. */
export const describeAutoScalingGroups: ActionHandler = (params, { world }) => {
  const request = describeGroupsSchema.parse(params);
  const names = request.AutoScalingGroupNames ?? [];
  const tagFiltered = (request.Filters ?? []).some((filter) => filter.Name.startsWith("tag"));
  const groups = world.autoscaling
    .groups()
    .filter((group) => !tagFiltered && (names.length === 0 || names.includes(group.autoScalingGroupName)));
  const { page, NextToken } = recordsPage(groups, request);
  return { AutoScalingGroups: page.map((group) => groupView(world, group)), NextToken };
};

const describeInstancesSchema = z.object({
  InstanceIds: list(instanceId).optional(),
  NextToken: nextToken,
  MaxRecords: maxRecords(50),
});

export const describeAutoScalingInstances: ActionHandler = (params, { world }) => {
  const request = describeInstancesSchema.parse(params);
  const ids = request.InstanceIds ?? [];
  const managed = world.autoscaling
    .instances()
    .filter((instance) => instance.lifecycleState !== "Terminated" && (ids.length === 0 || ids.includes(instance.instanceId)));
  const { page, NextToken } = recordsPage(managed, request);
  return { AutoScalingInstances: page.map(autoScalingInstanceView), NextToken };
};

const checkCapacity = (desired: number, min: number, max: number): void => {
  if (max < min) throw validationError(`Max bound, ${max}, must be greater than or equal to min bound, ${min}`);
  if (desired < min || desired > max) {
    throw validationError(`Desired capacity:${desired} must be between the specified min size:${min} and max size:${max}`);
  }
};

const setDesiredSchema = z.object({
  AutoScalingGroupName: groupName,
  DesiredCapacity: integer,
  HonorCooldown: boolean.optional(),
});

export const setDesiredCapacity: ActionHandler = (params, { world }) => {
  const request = setDesiredSchema.parse(params);
  const group = requireGroup(world, request.AutoScalingGroupName);
  const desired = request.DesiredCapacity;
  if (desired > group.maxSize) {
    throw validationError(`New SetDesiredCapacity value ${desired} is above max value ${group.maxSize} for the AutoScalingGroup.`);
  }
  if (desired < group.minSize) {
    throw validationError(`New SetDesiredCapacity value ${desired} is below min value ${group.minSize} for the AutoScalingGroup.`);
  }
  const last = group.lastScalingActivityMs;
  if (request.HonorCooldown === true && last !== undefined && world.clock.nowMs < last + group.defaultCooldown * 1000) {
    throw scalingActivityInProgress();
  }
  group.desiredCapacity = desired;
  return undefined;
};

const updateSchema = z.object({
  AutoScalingGroupName: groupName,
  LaunchTemplate: launchTemplateSpecification.optional(),
  MinSize: integer.pipe(z.number().min(0)).optional(),
  MaxSize: integer.pipe(z.number().min(0)).optional(),
  DesiredCapacity: integer.pipe(z.number().min(0)).optional(),
  DefaultCooldown: integer.pipe(z.number().min(0)).optional(),
  HealthCheckType: z.enum(["EC2", "ELB"]).optional(),
  HealthCheckGracePeriod: integer.pipe(z.number().min(0)).optional(),
  NewInstancesProtectedFromScaleIn: boolean.optional(),
  TerminationPolicies: list(z.string().min(1).max(1600)).optional(),
});

/** The predefined policies (UpdateAutoScalingGroup, TerminationPolicies) besides a Lambda function ARN. */
const PREDEFINED_TERMINATION_POLICIES = [
  "Default", "AllocationStrategy", "ClosestToNextInstanceHour", "NewestInstance", "OldestInstance", "OldestLaunchConfiguration", "OldestLaunchTemplate",
];

/**
 * "You can only specify one Lambda function ... If there are multiple termination policies
 * specified, the Lambda function must be specified first", and "You cannot use a qualified ARN
 * with the $LATEST suffix" (Auto Scaling user guide, "Create a custom termination policy with
 * Lambda", Limitations).
 */
const checkTerminationPolicies = (policies: readonly string[]): void => {
  const lambdas = policies.filter((policy) => LAMBDA_POLICY.test(policy));
  const unknown = policies.filter((policy) => !LAMBDA_POLICY.test(policy) && !PREDEFINED_TERMINATION_POLICIES.includes(policy));
  if (unknown.length > 0) throw validationError(`Invalid termination policy: ${unknown.join(", ")}`);
  if (lambdas.length > 1) throw validationError("Only one Lambda function can be specified in the termination policies.");
  if (lambdas.length === 1 && !LAMBDA_POLICY.test(policies[0] ?? "")) throw validationError("The Lambda function must be specified first in the termination policies.");
  if (lambdas.some((policy) => policy.endsWith(":$LATEST"))) throw validationError("A Lambda function ARN with the $LATEST qualifier cannot be used as a termination policy.");
};

/** Validates everything first, then applies: a rejected update changes nothing. */
export const updateAutoScalingGroup: ActionHandler = (params, { world }) => {
  const request = updateSchema.parse(params);
  const group = requireGroup(world, request.AutoScalingGroupName);
  const min = request.MinSize ?? group.minSize;
  const max = request.MaxSize ?? group.maxSize;
  const desired = request.DesiredCapacity ?? Math.min(max, Math.max(min, group.desiredCapacity));
  checkCapacity(desired, min, max);
  const template = request.LaunchTemplate === undefined ? undefined : world.autoscaling.launchTemplates.resolve(request.LaunchTemplate);
  if (typeof template === "string") throw validationError(template);
  const terminationPolicies = request.TerminationPolicies?.length === 0 ? ["Default"] : request.TerminationPolicies;
  if (terminationPolicies !== undefined) checkTerminationPolicies(terminationPolicies);
  Object.assign(group, {
    minSize: min,
    maxSize: max,
    desiredCapacity: desired,
    launchTemplate: template ?? group.launchTemplate,
    defaultCooldown: request.DefaultCooldown ?? group.defaultCooldown,
    healthCheckType: request.HealthCheckType ?? group.healthCheckType,
    healthCheckGracePeriod: request.HealthCheckGracePeriod ?? group.healthCheckGracePeriod,
    newInstancesProtectedFromScaleIn: request.NewInstancesProtectedFromScaleIn ?? group.newInstancesProtectedFromScaleIn,
    terminationPolicies: terminationPolicies === undefined ? group.terminationPolicies : [...terminationPolicies],
  } satisfies Partial<AutoScalingGroupState>);
  return undefined;
};

const processesSchema = z.object({
  AutoScalingGroupName: groupName,
  ScalingProcesses: list(z.string()).optional(),
});

const parseProcesses = (params: Record<string, unknown>) => {
  const request = processesSchema.parse(params);
  const names = request.ScalingProcesses ?? [];
  const unknown = names.filter((name) => !(SCALING_PROCESSES as readonly string[]).includes(name));
  if (unknown.length > 0) throw validationError(`Invalid scaling process name(s): ${unknown.join(", ")}`);
  const processes = SCALING_PROCESSES.filter((process) => names.length === 0 || names.includes(process));
  return { name: request.AutoScalingGroupName, processes };
};

export const suspendProcesses: ActionHandler = (params, { world }) => {
  const { name, processes } = parseProcesses(params);
  const group = requireGroup(world, name);
  for (const process of processes) if (!group.suspendedProcesses.has(process)) group.suspendedProcesses.set(process, world.clock.nowMs);
  return undefined;
};

export const resumeProcesses: ActionHandler = (params, { world }) => {
  const { name, processes } = parseProcesses(params);
  const group = requireGroup(world, name);
  for (const process of processes) group.suspendedProcesses.delete(process);
  return undefined;
};
