import { z } from "zod";
import { sequenceUuid } from "../../ec2/ids.ts";
import type { InstanceRefreshState, RefreshPreferences } from "../instance-refresh.ts";
import { isActiveInstance } from "../instance-lifecycle.ts";
import { sameTemplate } from "../../ec2/launch-templates-model.ts";
import { beginRollback, finish, publishRefreshEvent } from "../refresh-outcomes.ts";
import type { AutoScalingGroupState } from "../group.ts";
import type { FleetInstance, LaunchTemplateRef } from "../types.ts";
import type { EmulatedAccount } from "../../account.ts";
import { boolean, integer, list } from "../../protocol/coerce.ts";
import { AwsApiError, validationError } from "../../protocol/errors.ts";
import type { ActionHandler } from "../../protocol/service-types.ts";
import { groupName, launchTemplateSpecification, maxRecords, nextToken, recordsPage, requireGroup } from "./lookup.ts";
import { instanceRefreshView } from "../views.ts";

const REFRESH_UUID_KIND = 0x4ef4;
/** RefreshPreferences: CheckpointDelay defaults to 3600 (1 hour) when only CheckpointPercentages is given. */
const DEFAULT_CHECKPOINT_DELAY_SECONDS = 3600;
const MAX_ALARMS = 10;

const seconds = integer.pipe(z.number().min(0).max(172_800));

const startSchema = z.object({
  AutoScalingGroupName: groupName,
  Strategy: z.literal("Rolling").optional(),
  DesiredConfiguration: z.object({ LaunchTemplate: launchTemplateSpecification.optional() }).optional(),
  Preferences: z
    .object({
      MinHealthyPercentage: integer.pipe(z.number().min(0).max(100)).optional(),
      MaxHealthyPercentage: integer.pipe(z.number().min(100).max(200)).optional(),
      InstanceWarmup: integer.pipe(z.number().min(0)).optional(),
      CheckpointPercentages: list(integer.pipe(z.number().min(1).max(100))).optional(),
      CheckpointDelay: seconds.optional(),
      SkipMatching: boolean.optional(),
      AutoRollback: boolean.optional(),
      ScaleInProtectedInstances: z.enum(["Refresh", "Ignore", "Wait"]).optional(),
      StandbyInstances: z.enum(["Terminate", "Ignore", "Wait"]).optional(),
      AlarmSpecification: z.object({ Alarms: list(z.string().min(1).max(255)).optional() }).optional(),
      BakeTime: seconds.optional(),
    })
    .optional(),
});

type PreferencesInput = NonNullable<z.infer<typeof startSchema>["Preferences"]>;

/**
 * RefreshPreferences with the CLI/SDK defaults of "Understand the default values for an instance
 * refresh" (min 90, max unset = 100, warmup = health check grace period, checkpoint delay 3600,
 * ScaleInProtectedInstances and StandbyInstances Wait), rejecting what the API reference rules out.
 */
const preferencesOf = (world: EmulatedAccount, group: AutoScalingGroupState, input: PreferencesInput, desired: LaunchTemplateRef | undefined): RefreshPreferences => {
  const min = input.MinHealthyPercentage ?? 90;
  const max = input.MaxHealthyPercentage;
  if (max !== undefined && input.MinHealthyPercentage === undefined) {
    throw validationError("MinHealthyPercentage must be specified when MaxHealthyPercentage is specified.");
  }
  if (max !== undefined && max - min > 100) {
    throw validationError(`The difference between MaxHealthyPercentage (${max}) and MinHealthyPercentage (${min}) cannot be greater than 100.`);
  }
  const checkpoints = input.CheckpointPercentages ?? [];
  if (input.CheckpointDelay !== undefined && checkpoints.length === 0) {
    throw validationError("CheckpointPercentages must be specified when CheckpointDelay is specified.");
  }
  if (checkpoints.some((value, index) => index > 0 && value <= (checkpoints[index - 1] ?? 0))) {
    throw validationError("CheckpointPercentages must be unique and in ascending order.");
  }
  const alarms = input.AlarmSpecification?.Alarms ?? [];
  if (alarms.length > MAX_ALARMS) throw validationError(`AlarmSpecification can have at most ${MAX_ALARMS} alarms.`);
  const missing = alarms.filter((name) => world.cloudwatch.alarm(name) === undefined);
  if (missing.length > 0) throw validationError(`The following CloudWatch alarms do not exist: ${missing.join(", ")}`);
  const autoRollback = input.AutoRollback ?? false;
  if (autoRollback && desired === undefined) throw validationError("AutoRollback requires a DesiredConfiguration for the instance refresh.");
  if (autoRollback && ["$Latest", "$Default"].includes(group.launchTemplate.version)) {
    throw validationError(`AutoRollback is not supported when the Auto Scaling group uses the launch template's ${group.launchTemplate.version} version.`);
  }
  return {
    minHealthyPercentage: min,
    maxHealthyPercentage: max,
    instanceWarmup: input.InstanceWarmup ?? group.healthCheckGracePeriod,
    checkpointPercentages: checkpoints,
    checkpointDelay: input.CheckpointDelay ?? DEFAULT_CHECKPOINT_DELAY_SECONDS,
    skipMatching: input.SkipMatching ?? false,
    autoRollback,
    scaleInProtectedInstances: input.ScaleInProtectedInstances ?? "Wait",
    standbyInstances: input.StandbyInstances ?? "Wait",
    alarms,
    bakeTime: input.BakeTime ?? 0,
  };
};

/**
 * Instances a new refresh has to replace: active ones (and standby ones unless ignored), without
 * those on the target with SkipMatching, and without protected ones when they are ignored.
 */
const instancesToReplace = (live: readonly FleetInstance[], target: LaunchTemplateRef, preferences: RefreshPreferences): Set<string> =>
  new Set(
    live
      .filter((instance) => isActiveInstance(instance) || (instance.lifecycleState === "Standby" && preferences.standbyInstances !== "Ignore"))
      .filter((instance) => !(instance.protectedFromScaleIn && preferences.scaleInProtectedInstances === "Ignore"))
      .filter((instance) => !(preferences.skipMatching && sameTemplate(instance.launchTemplate, target)))
      .map((instance) => instance.instanceId),
  );

export const startInstanceRefresh: ActionHandler = (params, { world }) => {
  const request = startSchema.parse(params);
  const group = requireGroup(world, request.AutoScalingGroupName);
  if (world.autoscaling.activeRefresh(group) !== undefined) {
    throw new AwsApiError("InstanceRefreshInProgress", "An Instance Refresh is already in progress and blocks the execution of this Instance Refresh.");
  }
  const selector = request.DesiredConfiguration?.LaunchTemplate;
  const desired = selector === undefined ? undefined : world.autoscaling.launchTemplates.resolve(selector);
  if (typeof desired === "string") throw validationError(desired);
  const preferences = preferencesOf(world, group, request.Preferences ?? {}, desired);
  const live = world.autoscaling.liveInstances(group);
  const toReplace = instancesToReplace(live, desired ?? group.launchTemplate, preferences);
  const nowMs = world.clock.nowMs;
  const refresh: InstanceRefreshState = {
    instanceRefreshId: sequenceUuid(REFRESH_UUID_KIND, group.refreshes.length + 1),
    autoScalingGroupName: group.autoScalingGroupName,
    status: "Pending",
    statusReason: undefined,
    startTimeMs: nowMs,
    endTimeMs: undefined,
    preferences,
    desiredLaunchTemplate: desired,
    previousLaunchTemplate: { ...group.launchTemplate },
    toReplace,
    phaseOriginal: new Set(live.map((instance) => instance.instanceId)),
    total: toReplace.size,
    replaced: 0,
    batch: [],
    surge: 0,
    surgeVictims: 0,
    checkpointsReached: 0,
    pausedUntilMs: undefined,
    lastProgressMs: nowMs,
    waitingSinceMs: undefined,
    policyWaitSinceMs: undefined,
    rollback: undefined,
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

const activeNotFound = (group: AutoScalingGroupState) =>
  new AwsApiError("ActiveInstanceRefreshNotFound", `No in progress or pending Instance Refresh found for Auto Scaling group ${group.autoScalingGroupName}`);

/**
 * Cancelling until the launches and terminations in flight are done (WaitForTransitioningInstances,
 * default true), then Cancelled; replaced instances are not rolled back.
 */
export const cancelInstanceRefresh: ActionHandler = (params, { world }) => {
  const request = z.object({ AutoScalingGroupName: groupName, WaitForTransitioningInstances: boolean.optional() }).parse(params);
  const group = requireGroup(world, request.AutoScalingGroupName);
  const refresh = world.autoscaling.activeRefresh(group);
  if (refresh === undefined || refresh.status === "Cancelling") throw activeNotFound(group);
  refresh.status = "Cancelling";
  if (request.WaitForTransitioningInstances === false) {
    finish(refresh, "Cancelled", "The instance refresh was cancelled.", world.clock.nowMs);
    publishRefreshEvent(world, group, refresh, "EC2 Auto Scaling Instance Refresh Cancelled");
  }
  return { InstanceRefreshId: refresh.instanceRefreshId };
};

export const rollbackInstanceRefresh: ActionHandler = (params, { world }) => {
  const request = z.object({ AutoScalingGroupName: groupName }).parse(params);
  const group = requireGroup(world, request.AutoScalingGroupName);
  const refresh = world.autoscaling.activeRefresh(group);
  if (refresh === undefined || refresh.rollback !== undefined || refresh.status === "Cancelling") throw activeNotFound(group);
  if (refresh.desiredLaunchTemplate === undefined || ["$Latest", "$Default"].includes(refresh.previousLaunchTemplate.version)) {
    throw new AwsApiError("IrreversibleInstanceRefresh", "The instance refresh cannot be rolled back: it has no desired configuration, or the group used $Latest or $Default.");
  }
  beginRollback(world, group, refresh, "Rollback initiated by user.", world.clock.nowMs);
  return { InstanceRefreshId: refresh.instanceRefreshId };
};
