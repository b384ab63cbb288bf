import { z } from "zod";
import { sequenceUuid } from "../../ec2/ids.ts";
import { instancesToReplace, type InstanceRefreshState } from "../instance-refresh.ts";
import { boolean, integer, list } from "../../protocol/coerce.ts";
import { AwsApiError, validationError } from "../../protocol/errors.ts";
import type { ActionHandler } from "../../protocol/service-types.ts";
import { groupName, launchTemplateSpecification, maxRecords, nextToken, recordsPage, requireGroup } from "./lookup.ts";
import { instanceRefreshView } from "../views.ts";

const REFRESH_UUID_KIND = 0x4ef4;

const startSchema = z.object({
  AutoScalingGroupName: groupName,
  Strategy: z.literal("Rolling").optional(),
  DesiredConfiguration: z.object({ LaunchTemplate: launchTemplateSpecification.optional() }).optional(),
  Preferences: z
    .object({
      MinHealthyPercentage: integer.pipe(z.number().min(0).max(100)).optional(),
      // The emulator replaces by terminating first (the AWS default); launch-before-terminate is not modelled.
      MaxHealthyPercentage: integer.pipe(z.literal(100)).optional(),
      InstanceWarmup: integer.pipe(z.number().min(0)).optional(),
      SkipMatching: boolean.optional(),
      AutoRollback: boolean.pipe(z.literal(false)).optional(),
    })
    .optional(),
});

export const startInstanceRefresh: ActionHandler = (params, { world }) => {
  const request = startSchema.parse(params);
  const group = requireGroup(world, request.AutoScalingGroupName);
  if (world.autoscaling.activeRefresh(group) !== undefined) {
    throw new AwsApiError("InstanceRefreshInProgress", "An Instance Refresh is already in progress and blocks the execution of this Instance Refresh.");
  }
  const selector = request.DesiredConfiguration?.LaunchTemplate;
  const desired = selector === undefined ? undefined : world.autoscaling.launchTemplates.resolve(selector);
  if (typeof desired === "string") throw validationError(desired);
  const preferences = request.Preferences ?? {};
  const skipMatching = preferences.SkipMatching ?? false;
  const toReplace = instancesToReplace(world.autoscaling.liveInstances(group), desired ?? group.launchTemplate, skipMatching);
  const refresh: InstanceRefreshState = {
    instanceRefreshId: sequenceUuid(REFRESH_UUID_KIND, group.refreshes.length + 1),
    autoScalingGroupName: group.autoScalingGroupName,
    status: "Pending",
    statusReason: undefined,
    startTimeMs: world.clock.nowMs,
    endTimeMs: undefined,
    preferences: {
      minHealthyPercentage: preferences.MinHealthyPercentage ?? 90,
      maxHealthyPercentage: 100,
      instanceWarmup: preferences.InstanceWarmup ?? group.healthCheckGracePeriod,
      skipMatching,
    },
    desiredLaunchTemplate: desired,
    toReplace,
    total: toReplace.size,
    batch: [],
  };
  group.refreshes.push(refresh);
  return { InstanceRefreshId: refresh.instanceRefreshId };
};

const describeSchema = z.object({
  AutoScalingGroupName: groupName,
  InstanceRefreshIds: list(z.string().min(1)).optional(),
  NextToken: nextToken,
  MaxRecords: maxRecords(100),
});

/** Newest first, as AWS lists them. */
export const describeInstanceRefreshes: ActionHandler = (params, { world }) => {
  const request = describeSchema.parse(params);
  const group = requireGroup(world, request.AutoScalingGroupName);
  const ids = request.InstanceRefreshIds ?? [];
  const refreshes = group.refreshes.filter((refresh) => ids.length === 0 || ids.includes(refresh.instanceRefreshId)).reverse();
  const { page, NextToken } = recordsPage(refreshes, request, "start");
  return { InstanceRefreshes: page.map(instanceRefreshView), NextToken };
};

export const cancelInstanceRefresh: ActionHandler = (params, { world }) => {
  const request = z.object({ AutoScalingGroupName: groupName }).parse(params);
  const group = requireGroup(world, request.AutoScalingGroupName);
  const refresh = world.autoscaling.activeRefresh(group);
  if (refresh === undefined || refresh.status === "Cancelling") {
    throw new AwsApiError("ActiveInstanceRefreshNotFound", `No in progress or pending Instance Refresh found for Auto Scaling group ${group.autoScalingGroupName}`);
  }
  refresh.status = "Cancelling";
  return { InstanceRefreshId: refresh.instanceRefreshId };
};
