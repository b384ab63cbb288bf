import { CompleteLifecycleActionCommand, DescribeLifecycleHooksCommand } from "@aws-sdk/client-auto-scaling";
import type { Runtime } from "../runtime.ts";
import { deregisterServing, describeTargets } from "../targets.ts";
import { getBatch } from "../deploy-store.ts";
import type { BatchRecord, DeployRecord, GroupView, InstanceView } from "../types.ts";
import { snapshotOf, targetGroupArnsOf } from "./context.ts";

const LAUNCHING = "autoscaling:EC2_INSTANCE_LAUNCHING";

/** Auto Scaling's answer for an action that already ended (completed elsewhere, timed out, instance gone). */
const isNotActive = (error: unknown): boolean =>
  error instanceof Error && error.name === "ValidationError" && error.message.includes("No active Lifecycle Action found");

/**
 * Launches that must go while a launch hook still holds them in Pending:Wait: the rolled-back
 * release's (a rollback replaces them) and a failed surge's surplus. Such an instance can be
 * neither drained nor terminated (TerminateInstanceInAutoScalingGroup refuses it), and, on a
 * bad release, may never turn healthy: waiting for it would outlast the deploy's own deadline.
 * It never served, so ABANDON is its way out: the ASG terminates it (and, unless the caller
 * lowers the desired capacity, launches one from the current launch template). Out of every
 * target group first, as the launch hook does. Returns the instances abandoned; one whose
 * action had already ended is left to the ASG.
 */
export async function abandonHeldLaunches(rt: Runtime, record: DeployRecord, remaining: readonly InstanceView[]): Promise<string[]> {
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

/**
 * Capacity above the configured size that the deploy's last batch, a surge stopped before its
 * old instances went, raised itself: the desired capacity is still exactly what it set. Capacity
 * anyone else added (an operator, a scaling policy) is not Ebb's to take back.
 */
export async function failedSurgeSurplus(rt: Runtime, record: DeployRecord, group: GroupView): Promise<number> {
  let last: BatchRecord | undefined;
  for (let index = 0; ; index++) {
    const batch = await getBatch(rt, record.deployId, "deploy", index);
    if (batch === undefined) break;
    last = batch;
  }
  if (last?.surgeDesiredCapacity === undefined || last.terminatedAt !== undefined || group.desiredCapacity !== last.surgeDesiredCapacity) return 0;
  return Math.max(0, group.desiredCapacity - snapshotOf(record).desiredCapacity);
}
