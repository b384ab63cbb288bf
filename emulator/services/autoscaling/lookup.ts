import { z } from "zod";
import type { AutoScalingGroupState } from "../../fleet/group.ts";
import type { FleetInstance } from "../../fleet/types.ts";
import type { World } from "../../world.ts";
import { boolean, integer, list } from "../coerce.ts";
import { AwsApiError, validationError } from "../errors.ts";

/** Zod pieces for Auto Scaling's query parameters (every value arrives as a string). */
export const groupName = z.string().min(1).max(255);
export const instanceId = z.string().min(1).max(19);
export const maxRecords = (max: number) => integer.pipe(z.number().min(1).max(max)).optional();
export const nextToken = z.string().min(1).optional();
export { boolean, integer, list };

export const invalidNextToken = (message: string): AwsApiError => new AwsApiError("InvalidNextToken", message);

export const scalingActivityInProgress = (): AwsApiError =>
  new AwsApiError("ScalingActivityInProgress", "The operation can't be performed because there are scaling activities in progress.");

export const requireGroup = (world: World, name: string): AutoScalingGroupState => {
  const group = world.autoscaling.group(name);
  if (group === undefined) throw validationError(`AutoScalingGroup name not found - AutoScalingGroup '${name}' not found`);
  return group;
};

/** A live instance managed by some group (terminated instances are no longer managed). */
export const requireManagedInstance = (world: World, id: string): FleetInstance => {
  const instance = world.autoscaling.instance(id);
  if (instance === undefined || instance.lifecycleState === "Terminated") {
    throw validationError(`Instance Id not found - No managed instance found for instance ID: ${id}`);
  }
  return instance;
};

export const requireInstanceOfGroup = (world: World, group: AutoScalingGroupState, id: string): FleetInstance => {
  const instance = world.autoscaling.instance(id);
  if (instance === undefined || instance.lifecycleState === "Terminated" || instance.autoScalingGroupName !== group.autoScalingGroupName) {
    throw validationError(`The instance ${id} is not part of Auto Scaling group ${group.autoScalingGroupName}.`);
  }
  return instance;
};

/** The response to a call that starts scaling activities. */
export const activityView = (world: World, group: AutoScalingGroupState, description: string, cause: string) => ({
  ActivityId: world.autoscaling.nextActivityId(),
  AutoScalingGroupName: group.autoScalingGroupName,
  AutoScalingGroupARN: group.autoScalingGroupArn,
  Description: description,
  Cause: `At ${world.clock.now().toISOString().replace(/\.\d{3}Z$/, "Z")} ${cause}.`,
  StartTime: world.clock.now(),
  StatusCode: "InProgress",
  Progress: 0,
  Details: "{}",
});
