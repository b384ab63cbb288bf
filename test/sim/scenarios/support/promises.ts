import { DescribeAutoScalingGroupsCommand } from "@aws-sdk/client-auto-scaling";
import { DescribeTargetGroupAttributesCommand, DescribeTargetHealthCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { createAwsClients } from "../../../../sim/aws-clients.ts";
import type { World } from "../../../../sim/world.ts";

/**
 * The fleet as an operator sees it after a run, through the SDK: what the deploy promised to leave
 * (the group's configuration, nothing deregistered while running). Kept local so that it can be
 * swapped for the report's own fleet block.
 */
export interface FleetAfterRun {
  desiredCapacity: number;
  maxSize: number;
  launchTemplateVersion: string;
  suspendedProcesses: string[];
  deregistrationDelaySeconds: number[];
  /** Running InService instances draining or unregistered in some target group. */
  deregisteredButRunning: string[];
}

export async function fleetAfterRun(world: World): Promise<FleetAfterRun> {
  const { autoScaling, elbv2 } = createAwsClients(world);
  const name = world.config.fleet.autoScalingGroupName;
  const group = (await autoScaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }))).AutoScalingGroups?.[0];
  if (group === undefined) throw new Error(`${name} not found`);
  const targetGroupArns = world.elb.targetGroups().map((targetGroup) => targetGroup.targetGroupArn);
  const running = (group.Instances ?? [])
    .filter((instance) => instance.LifecycleState === "InService" && world.autoscaling.instance(instance.InstanceId ?? "")?.ec2State === "running")
    .map((instance) => instance.InstanceId ?? "");
  const deregistered = new Set<string>();
  const delays: number[] = [];
  for (const TargetGroupArn of targetGroupArns) {
    if (running.length > 0) {
      const health = await elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn, Targets: running.map((Id) => ({ Id })) }));
      for (const description of health.TargetHealthDescriptions ?? []) {
        if (["draining", "unused"].includes(description.TargetHealth?.State ?? "unused")) deregistered.add(description.Target?.Id ?? "");
      }
    }
    const attributes = await elbv2.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn }));
    delays.push(Number(attributes.Attributes?.find((attribute) => attribute.Key === "deregistration_delay.timeout_seconds")?.Value));
  }
  return {
    desiredCapacity: group.DesiredCapacity ?? 0,
    maxSize: group.MaxSize ?? 0,
    launchTemplateVersion: group.LaunchTemplate?.Version ?? "",
    suspendedProcesses: (group.SuspendedProcesses ?? []).map((process) => process.ProcessName ?? "").sort(),
    deregistrationDelaySeconds: delays,
    deregisteredButRunning: [...deregistered].sort(),
  };
}
