import { CompleteLifecycleActionCommand, DescribeLifecycleHooksCommand } from "@aws-sdk/client-auto-scaling";
import type { Runtime } from "../runtime.ts";
import { deregisterServing, describeTargets } from "../targets.ts";
import type { DeployRecord, InstanceView } from "../types.ts";
import { targetGroupArnsOf } from "./context.ts";

const LAUNCHING = "autoscaling:EC2_INSTANCE_LAUNCHING";

/** Auto Scaling's answer for an action that already ended (completed elsewhere, timed out, instance gone). */
const isNotActive = (error: unknown): boolean =>
  error instanceof Error && error.name === "ValidationError" && error.message.includes("No active Lifecycle Action found");

/**
 * A rollback replaces the launches of the release it rolls back. One still held in Pending:Wait by
 * a launch hook cannot be drained or terminated (TerminateInstanceInAutoScalingGroup refuses it),
 * and, being on that release, may never turn healthy: waiting for it would outlast the rollback's
 * own deadline. It never served, so ABANDON is its replacement: the ASG terminates it and launches
 * one from the original launch template. Out of every target group first, as the launch hook does.
 * Returns the instances abandoned; one whose action had already ended is left to the ASG.
 */
export async function abandonRolledBackLaunches(rt: Runtime, record: DeployRecord, remaining: readonly InstanceView[]): Promise<string[]> {
  const waiting = remaining.filter((instance) => instance.lifecycleState === "Pending:Wait").map((instance) => instance.instanceId);
  if (waiting.length === 0) return [];
  const hooks = await rt.clients.autoScaling.send(new DescribeLifecycleHooksCommand({ AutoScalingGroupName: record.autoScalingGroupName }));
  const launchHooks = (hooks.LifecycleHooks ?? []).filter((hook) => hook.LifecycleTransition === LAUNCHING).flatMap((hook) => hook.LifecycleHookName ?? []);
  if (launchHooks.length === 0) return [];
  await deregisterServing(rt.clients.elbv2, await describeTargets(rt.clients.elbv2, targetGroupArnsOf(record), waiting));
  const abandoned: string[] = [];
  for (const instanceId of waiting) {
    for (const hookName of launchHooks) {
      try {
        await rt.clients.autoScaling.send(
          new CompleteLifecycleActionCommand({
            AutoScalingGroupName: record.autoScalingGroupName,
            LifecycleHookName: hookName,
            InstanceId: instanceId,
            LifecycleActionResult: "ABANDON",
          }),
        );
        abandoned.push(instanceId);
        break;
      } catch (error) {
        if (!isNotActive(error)) throw error;
      }
    }
  }
  return abandoned;
}
