import { DescribeAutoScalingInstancesCommand } from "@aws-sdk/client-auto-scaling";
import { InstanceNotDrainable } from "../errors.ts";
import { describeGroup } from "../fleet.ts";
import { readLock } from "../lock.ts";
import type { Runtime } from "../runtime.ts";
import type { GroupView } from "../types.ts";
import type { DrainThen } from "./record.ts";

/**
 * Whether an instance may be drained by hand, checked before anything changes (by the CLI up front,
 * and again by the workflow's first step): it must be InService in a group the stage manages, and
 * Standby must not take the group below its MinSize (EnterStandby with a decrement would be refused
 * after the drain, leaving a drained instance serving nobody).
 */
export async function drainableGroup(rt: Runtime, instanceId: string, then: DrainThen): Promise<GroupView> {
  const found = await rt.clients.autoScaling.send(new DescribeAutoScalingInstancesCommand({ InstanceIds: [instanceId] }));
  const groupName = found.AutoScalingInstances?.[0]?.AutoScalingGroupName;
  if (groupName === undefined) throw new InstanceNotDrainable(instanceId, "no Auto Scaling group has this instance (unknown or already terminated)");
  if (!rt.stage.autoScalingGroups.includes(groupName)) {
    throw new InstanceNotDrainable(instanceId, `its group ${groupName} is not managed by this stage (autoScalingGroups: ${rt.stage.autoScalingGroups.join(", ")})`);
  }
  const group = await describeGroup(rt.clients.autoScaling, groupName);
  const state = group.instances.find((instance) => instance.instanceId === instanceId)?.lifecycleState ?? "gone";
  if (state !== "InService") throw new InstanceNotDrainable(instanceId, `it is ${state}, not InService`);
  if (then === "standby" && group.desiredCapacity - 1 < group.minSize) {
    throw new InstanceNotDrainable(instanceId, `Standby would take ${groupName} below its MinSize (desired ${group.desiredCapacity}, min ${group.minSize}); use --then terminate, or lower MinSize`);
  }
  return group;
}

/** Who holds the group's lock now (an unexpired lease), for a refusal before starting anything. */
export async function lockHolderOf(rt: Runtime, groupName: string): Promise<string | undefined> {
  const lock = await readLock(rt, groupName);
  if (lock === undefined || lock.leaseExpiresAt * 1000 <= rt.clock.now().getTime()) return undefined;
  return `${lock.kind} ${lock.owner}`;
}
