import {
  DescribeAutoScalingGroupsCommand,
  SetDesiredCapacityCommand,
  TerminateInstanceInAutoScalingGroupCommand,
  UpdateAutoScalingGroupCommand,
  type AutoScalingGroup,
} from "@aws-sdk/client-auto-scaling";
import type { AutoScalingClient } from "@aws-sdk/client-auto-scaling";
import { UnsupportedAutoScalingGroup } from "./errors.ts";
import type { GroupView, InstanceView, LaunchTemplateRef } from "./types.ts";

/** The raw group, or undefined when it does not exist. */
export async function findGroup(autoScaling: AutoScalingClient, name: string): Promise<AutoScalingGroup | undefined> {
  const response = await autoScaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }));
  return response.AutoScalingGroups?.find((group) => group.AutoScalingGroupName === name);
}

/** Why Ebb cannot roll this group (it needs a plain launch template), or undefined. */
export function unsupportedReason(group: AutoScalingGroup): string | undefined {
  if (group.LaunchTemplate?.LaunchTemplateId !== undefined || group.LaunchTemplate?.LaunchTemplateName !== undefined) return undefined;
  if (group.MixedInstancesPolicy !== undefined) return "it uses a mixed instances policy; Ebb rolls groups with a single launch template";
  return "it has no launch template (launch configurations are not supported)";
}

function toInstanceView(instance: NonNullable<AutoScalingGroup["Instances"]>[number]): InstanceView {
  return {
    instanceId: instance.InstanceId ?? "",
    availabilityZone: instance.AvailabilityZone ?? "",
    lifecycleState: instance.LifecycleState ?? "",
    healthStatus: instance.HealthStatus ?? "",
    launchTemplateVersion: instance.LaunchTemplate?.Version,
    protectedFromScaleIn: instance.ProtectedFromScaleIn ?? false,
  };
}

/** The group's launch template as Ebb refers to it (a group without a version uses the template's default). */
export const launchTemplateRefOf = (template: NonNullable<AutoScalingGroup["LaunchTemplate"]>): LaunchTemplateRef => ({
  launchTemplateId: template.LaunchTemplateId ?? "",
  launchTemplateName: template.LaunchTemplateName ?? "",
  version: template.Version ?? "$Default",
});

/** The group as Ebb needs it; throws when it is missing or not supported. */
export async function describeGroup(autoScaling: AutoScalingClient, name: string): Promise<GroupView> {
  const group = await findGroup(autoScaling, name);
  if (group === undefined) throw new UnsupportedAutoScalingGroup(`Auto Scaling group "${name}" does not exist`);
  const reason = unsupportedReason(group);
  const template = group.LaunchTemplate;
  if (reason !== undefined || template === undefined) throw new UnsupportedAutoScalingGroup(`Auto Scaling group "${name}": ${reason}`);
  return {
    name,
    ...(group.AutoScalingGroupARN === undefined ? {} : { arn: group.AutoScalingGroupARN }),
    suspendedProcesses: (group.SuspendedProcesses ?? []).flatMap((process) => (process.ProcessName === undefined ? [] : [process.ProcessName])),
    desiredCapacity: group.DesiredCapacity ?? 0,
    minSize: group.MinSize ?? 0,
    maxSize: group.MaxSize ?? 0,
    launchTemplate: launchTemplateRefOf(template),
    targetGroupArns: group.TargetGroupARNs ?? [],
    instances: (group.Instances ?? []).map(toInstanceView).filter((instance) => instance.instanceId !== ""),
    ...(group.HealthCheckGracePeriod === undefined ? {} : { healthCheckGracePeriodSeconds: group.HealthCheckGracePeriod }),
  };
}

/** Prefer the id; a group may name its template only by name. */
export const launchTemplateSpecifier = (template: LaunchTemplateRef): { LaunchTemplateId: string } | { LaunchTemplateName: string } =>
  template.launchTemplateId !== "" ? { LaunchTemplateId: template.launchTemplateId } : { LaunchTemplateName: template.launchTemplateName };

/** New launches use this launch template version. */
export async function setLaunchTemplateVersion(autoScaling: AutoScalingClient, groupName: string, template: LaunchTemplateRef): Promise<void> {
  await autoScaling.send(
    new UpdateAutoScalingGroupCommand({
      AutoScalingGroupName: groupName,
      LaunchTemplate: { ...launchTemplateSpecifier(template), Version: template.version },
    }),
  );
}

/** Sets the desired capacity (absolute, so repeating it is harmless), raising MaxSize if needed. */
export async function setCapacity(autoScaling: AutoScalingClient, group: GroupView, desired: number): Promise<void> {
  if (desired > group.maxSize) {
    await autoScaling.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: group.name, MaxSize: desired, DesiredCapacity: desired }));
    return;
  }
  if (desired !== group.desiredCapacity) {
    await autoScaling.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: group.name, DesiredCapacity: desired, HonorCooldown: false }));
  }
}

/** Puts MaxSize back to what it was before the deploy (a surge may have raised it). */
export async function restoreMaxSize(autoScaling: AutoScalingClient, groupName: string, maxSize: number, current: GroupView): Promise<void> {
  if (current.maxSize === maxSize || current.desiredCapacity > maxSize) return;
  await autoScaling.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: groupName, MaxSize: maxSize }));
}

/** Gone from the group, or on its way out (terminating). */
export const isLeaving = (instance: InstanceView | undefined): boolean =>
  instance === undefined || instance.lifecycleState.startsWith("Terminating") || instance.lifecycleState === "Terminated";

/**
 * Terminates the given (already drained) instances through the ASG. Instances already gone or
 * terminating are skipped, so running this twice is harmless. Returns the ids it terminated.
 */
export async function terminateInstances(
  autoScaling: AutoScalingClient,
  group: GroupView,
  instanceIds: readonly string[],
  decrementDesiredCapacity: boolean,
): Promise<string[]> {
  const byId = new Map(group.instances.map((instance) => [instance.instanceId, instance]));
  const terminated: string[] = [];
  for (const instanceId of instanceIds) {
    if (isLeaving(byId.get(instanceId))) continue;
    await autoScaling.send(
      new TerminateInstanceInAutoScalingGroupCommand({ InstanceId: instanceId, ShouldDecrementDesiredCapacity: decrementDesiredCapacity }),
    );
    terminated.push(instanceId);
  }
  return terminated;
}

/** Instances that are (still) part of the group and not on their way out. */
export const liveInstances = (group: GroupView): InstanceView[] => group.instances.filter((instance) => !isLeaving(instance));
