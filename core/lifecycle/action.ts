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

/** "completed", or "not-active" when the action had already ended. */
export async function completeAction(rt: Runtime, ref: ActionRef, result: "CONTINUE" | "ABANDON"): Promise<"completed" | "not-active"> {
  try {
    await rt.clients.autoScaling.send(
      new CompleteLifecycleActionCommand({
        AutoScalingGroupName: ref.autoScalingGroupName,
        LifecycleHookName: ref.lifecycleHookName,
        LifecycleActionToken: ref.token,
        InstanceId: ref.instanceId,
        LifecycleActionResult: result,
      }),
    );
    return "completed";
  } catch (error) {
    if (!isNotActive(error)) throw error;
    rt.logger.warn("lifecycle action no longer active", { ...ref, result, error: (error as Error).message });
    return "not-active";
  }
}

/** Restarts the action's heartbeat timeout; "not-active" when it had already ended. */
export async function recordHeartbeat(rt: Runtime, ref: ActionRef): Promise<"recorded" | "not-active"> {
  try {
    await rt.clients.autoScaling.send(
      new RecordLifecycleActionHeartbeatCommand({
        AutoScalingGroupName: ref.autoScalingGroupName,
        LifecycleHookName: ref.lifecycleHookName,
        LifecycleActionToken: ref.token,
        InstanceId: ref.instanceId,
      }),
    );
    return "recorded";
  } catch (error) {
    if (!isNotActive(error)) throw error;
    rt.logger.warn("lifecycle action no longer active", { ...ref, error: (error as Error).message });
    return "not-active";
  }
}
