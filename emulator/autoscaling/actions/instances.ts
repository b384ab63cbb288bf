import { z } from "zod";
import type { AutoScalingGroupState } from "../group.ts";
import type { FleetInstance } from "../types.ts";
import type { EmulatedAccount } from "../../account.ts";
import { boolean, list } from "../../protocol/coerce.ts";
import { validationError } from "../../protocol/errors.ts";
import type { ActionHandler } from "../../protocol/service-types.ts";
import { groupName, instanceId, requireGroup, requireInstanceOfGroup, requireManagedInstance, scalingActivityInProgress } from "./lookup.ts";
import { activityView } from "../views.ts";
import { isActiveInstance } from "../instance-lifecycle.ts";


const terminateSchema = z.object({ InstanceId: instanceId, ShouldDecrementDesiredCapacity: boolean });

export const terminateInstanceInAutoScalingGroup: ActionHandler = (params, { world }) => {
  const request = terminateSchema.parse(params);
  const instance = requireManagedInstance(world, request.InstanceId);
  const group = requireGroup(world, instance.autoScalingGroupName);
  if (instance.lifecycleState !== "InService" && instance.lifecycleState !== "Standby") throw scalingActivityInProgress();
  const decrement = request.ShouldDecrementDesiredCapacity && isActiveInstance(instance);
  if (decrement && group.desiredCapacity - 1 < group.minSize) {
    throw validationError(
      `Currently, desiredCapacity is equal to minSize (${group.minSize}). Terminating instance without replacement will violate group's min size constraint. Either set shouldDecrementDesiredCapacity flag to false or lower group's min size.`,
    );
  }
  if (decrement) group.desiredCapacity -= 1;
  const cause = decrement
    ? `instance ${instance.instanceId} was taken out of service in response to a user request, shrinking the capacity from ${group.desiredCapacity + 1} to ${group.desiredCapacity}`
    : `instance ${instance.instanceId} was taken out of service in response to a user request`;
  world.autoscaling.startTermination(instance, cause);
  return { Activity: activityView(world, group, `Terminating EC2 instance: ${instance.instanceId}`, cause) };
};

const healthSchema = z.object({
  InstanceId: instanceId,
  HealthStatus: z.enum(["Healthy", "Unhealthy"]),
  ShouldRespectGracePeriod: boolean.optional(),
});

export const setInstanceHealth: ActionHandler = (params, { world }) => {
  const request = healthSchema.parse(params);
  const instance = requireManagedInstance(world, request.InstanceId);
  const group = requireGroup(world, instance.autoScalingGroupName);
  const graceEndsMs = (instance.inServiceAtMs ?? instance.launchTimeMs) + group.healthCheckGracePeriod * 1000;
  if (request.ShouldRespectGracePeriod === true && world.clock.nowMs < graceEndsMs) return undefined;
  instance.healthStatus = request.HealthStatus;
  return undefined;
};

const protectionSchema = z.object({
  InstanceIds: list(instanceId).pipe(z.array(instanceId).min(1).max(50)),
  AutoScalingGroupName: groupName,
  ProtectedFromScaleIn: boolean,
});

export const setInstanceProtection: ActionHandler = (params, { world }) => {
  const request = protectionSchema.parse(params);
  const group = requireGroup(world, request.AutoScalingGroupName);
  const instances = request.InstanceIds.map((id) => requireInstanceOfGroup(world, group, id));
  for (const instance of instances) instance.protectedFromScaleIn = request.ProtectedFromScaleIn;
  return undefined;
};

const standbySchema = z.object({
  InstanceIds: list(instanceId).pipe(z.array(instanceId).min(1).max(20)),
  AutoScalingGroupName: groupName,
  ShouldDecrementDesiredCapacity: boolean.optional(),
});

const standbyInstances = (world: EmulatedAccount, group: AutoScalingGroupState, ids: readonly string[], required: "InService" | "Standby"): FleetInstance[] =>
  ids.map((id) => {
    const instance = requireInstanceOfGroup(world, group, id);
    if (instance.lifecycleState !== required) throw validationError(`The instance ${id} is not in ${required}.`);
    return instance;
  });

export const enterStandby: ActionHandler = (params, { world }) => {
  const request = standbySchema.parse(params);
  if (request.ShouldDecrementDesiredCapacity === undefined) {
    throw validationError("1 validation error detected: Value null at 'shouldDecrementDesiredCapacity' failed to satisfy constraint: Member must not be null");
  }
  const group = requireGroup(world, request.AutoScalingGroupName);
  const instances = standbyInstances(world, group, request.InstanceIds, "InService");
  const desired = request.ShouldDecrementDesiredCapacity ? group.desiredCapacity - instances.length : group.desiredCapacity;
  if (desired < group.minSize) {
    throw validationError(`AutoScalingGroup ${group.autoScalingGroupName} has min-size=${group.minSize}, max-size=${group.maxSize}, and desired-size=${group.desiredCapacity}. To place into standby ${instances.length} instances, please update the AutoScalingGroup sizes appropriately.`);
  }
  group.desiredCapacity = desired;
  for (const instance of instances) world.autoscaling.enterStandby(instance);
  const cause = "an instance was moved to standby in response to a user request";
  return { Activities: instances.map((instance) => activityView(world, group, `Moving EC2 instance to Standby: ${instance.instanceId}`, cause)) };
};

export const exitStandby: ActionHandler = (params, { world }) => {
  const request = standbySchema.parse(params);
  const group = requireGroup(world, request.AutoScalingGroupName);
  const instances = standbyInstances(world, group, request.InstanceIds, "Standby");
  if (group.desiredCapacity + instances.length > group.maxSize) {
    throw validationError(`AutoScalingGroup ${group.autoScalingGroupName} has min-size=${group.minSize}, max-size=${group.maxSize}, and desired-size=${group.desiredCapacity}. To exit standby ${instances.length} instances, please update the AutoScalingGroup sizes appropriately.`);
  }
  group.desiredCapacity += instances.length;
  for (const instance of instances) world.autoscaling.exitStandby(instance);
  const cause = "an instance was moved out of standby in response to a user request";
  return { Activities: instances.map((instance) => activityView(world, group, `Moving EC2 instance out of Standby: ${instance.instanceId}`, cause)) };
};
