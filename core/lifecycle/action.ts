import {
  CompleteLifecycleActionCommand,
  DescribeLifecycleHooksCommand,
  RecordLifecycleActionHeartbeatCommand,
} from "@aws-sdk/client-auto-scaling";
import { LifecycleHookNotFound } from "../errors.ts";
import type { Runtime } from "../runtime.ts";
import type { ActionRef } from "./event.ts";

/** The Auto Scaling side of one lifecycle action: its hook's timeouts, heartbeats, completion. */

const GLOBAL_TIMEOUT_CAP_SECONDS = 48 * 3600;

export interface HookTimeouts {
  heartbeatTimeoutSeconds: number;
  globalTimeoutSeconds: number;
}

/** The hook's HeartbeatTimeout and GlobalTimeout (min(48 h, 100 × HeartbeatTimeout)). */
export async function hookTimeouts(rt: Runtime, ref: ActionRef): Promise<HookTimeouts> {
  const response = await rt.clients.autoScaling.send(
    new DescribeLifecycleHooksCommand({ AutoScalingGroupName: ref.autoScalingGroupName, LifecycleHookNames: [ref.lifecycleHookName] }),
  );
  const hook = response.LifecycleHooks?.find((candidate) => candidate.LifecycleHookName === ref.lifecycleHookName);
  if (hook === undefined) throw new LifecycleHookNotFound(`${ref.autoScalingGroupName} has no lifecycle hook "${ref.lifecycleHookName}"`);
  const heartbeatTimeoutSeconds = hook.HeartbeatTimeout ?? 3600;
  return { heartbeatTimeoutSeconds, globalTimeoutSeconds: hook.GlobalTimeout ?? Math.min(GLOBAL_TIMEOUT_CAP_SECONDS, 100 * heartbeatTimeoutSeconds) };
}

/**
 * "ValidationError: No active Lifecycle Action found ..." is how Auto Scaling answers for an action
 * that already ended (completed, timed out, or its instance gone): final, never worth retrying.
 */
const isNotActive = (error: unknown): boolean =>
  error instanceof Error && error.name === "ValidationError" && error.message.includes("No active Lifecycle Action found");

/**
 * Sends one call on the action; "not-active" when Auto Scaling answers that the action already
 * ended, which is logged once and never retried.
 */
async function onActiveAction<T extends string>(
  rt: Runtime,
  ref: ActionRef,
  done: T,
  send: () => Promise<unknown>,
  context: Record<string, unknown> = {},
): Promise<T | "not-active"> {
  try {
    await send();
    return done;
  } catch (error) {
    if (!isNotActive(error)) throw error;
    rt.logger.warn("lifecycle action no longer active", { ...ref, ...context, error: (error as Error).message });
    return "not-active";
  }
}

const actionKey = (ref: ActionRef) => ({
  AutoScalingGroupName: ref.autoScalingGroupName,
  LifecycleHookName: ref.lifecycleHookName,
  LifecycleActionToken: ref.token,
  InstanceId: ref.instanceId,
});

/** "completed", or "not-active" when the action had already ended. */
export function completeAction(rt: Runtime, ref: ActionRef, result: "CONTINUE" | "ABANDON"): Promise<"completed" | "not-active"> {
  const command = new CompleteLifecycleActionCommand({ ...actionKey(ref), LifecycleActionResult: result });
  return onActiveAction(rt, ref, "completed", () => rt.clients.autoScaling.send(command), { result });
}

/** Restarts the action's heartbeat timeout; "not-active" when it had already ended. */
export function recordHeartbeat(rt: Runtime, ref: ActionRef): Promise<"recorded" | "not-active"> {
  const command = new RecordLifecycleActionHeartbeatCommand(actionKey(ref));
  return onActiveAction(rt, ref, "recorded", () => rt.clients.autoScaling.send(command));
}
