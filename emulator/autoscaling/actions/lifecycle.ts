import { z } from "zod";
import type { ActionSelector } from "../lifecycle-actions.ts";
import type { LifecycleHookSpec } from "../types.ts";
import { integer, list } from "../../protocol/coerce.ts";
import { validationError } from "../../protocol/errors.ts";
import type { ActionHandler } from "../../protocol/service-types.ts";
import { groupName, instanceId, requireGroup } from "./lookup.ts";
import { lifecycleHookView } from "../views.ts";

const hookName = z.string().min(1).max(255).regex(/^[A-Za-z0-9\-_/]+$/);
const transition = z.enum(["autoscaling:EC2_INSTANCE_LAUNCHING", "autoscaling:EC2_INSTANCE_TERMINATING"]);
const result = z.enum(["CONTINUE", "ABANDON"]);

const describeSchema = z.object({ AutoScalingGroupName: groupName, LifecycleHookNames: list(hookName).optional() });

export const describeLifecycleHooks: ActionHandler = (params, { world }) => {
  const request = describeSchema.parse(params);
  const group = requireGroup(world, request.AutoScalingGroupName);
  const names = request.LifecycleHookNames ?? [];
  const hooks = [...group.lifecycleHooks.values()].filter((hook) => names.length === 0 || names.includes(hook.lifecycleHookName));
  return { LifecycleHooks: hooks.map(lifecycleHookView) };
};

const putSchema = z.object({
  LifecycleHookName: hookName,
  AutoScalingGroupName: groupName,
  LifecycleTransition: transition.optional(),
  RoleARN: z.string().min(1).max(1600).optional(),
  NotificationTargetARN: z.string().max(1600).optional(),
  NotificationMetadata: z.string().min(1).max(1023).optional(),
  HeartbeatTimeout: integer.pipe(z.number().min(30).max(7200)).optional(),
  DefaultResult: result.optional(),
});

/** Creates a hook, or updates the fields given on an existing one; open actions keep their settings. */
export const putLifecycleHook: ActionHandler = (params, { world }) => {
  const request = putSchema.parse(params);
  const group = requireGroup(world, request.AutoScalingGroupName);
  const existing = group.lifecycleHooks.get(request.LifecycleHookName);
  const lifecycleTransition = request.LifecycleTransition ?? existing?.lifecycleTransition;
  if (lifecycleTransition === undefined) throw validationError("A lifecycle transition must be specified when creating a lifecycle hook");
  const hook: LifecycleHookSpec = {
    lifecycleHookName: request.LifecycleHookName,
    autoScalingGroupName: group.autoScalingGroupName,
    lifecycleTransition,
    heartbeatTimeoutSeconds: request.HeartbeatTimeout ?? existing?.heartbeatTimeoutSeconds ?? 3600,
    defaultResult: request.DefaultResult ?? existing?.defaultResult ?? "ABANDON",
    notificationMetadata: request.NotificationMetadata ?? existing?.notificationMetadata,
    notificationTargetArn: request.NotificationTargetARN ?? existing?.notificationTargetArn,
    roleArn: request.RoleARN ?? existing?.roleArn,
  };
  group.lifecycleHooks.set(hook.lifecycleHookName, hook);
  return undefined;
};

/**
 * DeleteLifecycleHook: "If there are any outstanding lifecycle actions, they are completed first
 * (ABANDON for launching instances, CONTINUE for terminating instances)."
 */
export const deleteLifecycleHook: ActionHandler = (params, { world }) => {
  const request = z.object({ LifecycleHookName: hookName, AutoScalingGroupName: groupName }).parse(params);
  const group = requireGroup(world, request.AutoScalingGroupName);
  const hook = group.lifecycleHooks.get(request.LifecycleHookName);
  if (hook === undefined) {
    throw validationError(`No Lifecycle Hook found with name ${request.LifecycleHookName} for Auto Scaling group ${group.autoScalingGroupName}`);
  }
  world.autoscaling.lifecycleActions.completeOutstanding(hook);
  group.lifecycleHooks.delete(hook.lifecycleHookName);
  return undefined;
};

const actionSchema = z.object({
  LifecycleHookName: hookName,
  AutoScalingGroupName: groupName,
  LifecycleActionToken: z.string().min(36).max(36).optional(),
  InstanceId: instanceId.optional(),
});

const selectorOf = (params: Record<string, unknown>): ActionSelector => {
  const request = actionSchema.parse(params);
  if (request.LifecycleActionToken === undefined && request.InstanceId === undefined) {
    throw validationError("Either LifecycleActionToken or InstanceId must be specified");
  }
  return {
    autoScalingGroupName: request.AutoScalingGroupName,
    lifecycleHookName: request.LifecycleHookName,
    token: request.LifecycleActionToken,
    instanceId: request.InstanceId,
  };
};

export const completeLifecycleAction: ActionHandler = (params, { world }) => {
  const selector = selectorOf(params);
  const outcome = z.object({ LifecycleActionResult: result }).parse(params).LifecycleActionResult;
  requireGroup(world, selector.autoScalingGroupName);
  world.autoscaling.lifecycleActions.complete(selector, outcome);
  return undefined;
};

export const recordLifecycleActionHeartbeat: ActionHandler = (params, { world }) => {
  const selector = selectorOf(params);
  requireGroup(world, selector.autoScalingGroupName);
  world.autoscaling.lifecycleActions.heartbeat(selector);
  return undefined;
};
