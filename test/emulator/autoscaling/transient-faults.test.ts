import { DescribeAutoScalingGroupsCommand, SetDesiredCapacityCommand, StartInstanceRefreshCommand, UpdateAutoScalingGroupCommand } from "@aws-sdk/client-auto-scaling";
import { describe, expect, it } from "vitest";
import { parseScenarioConfig } from "../../../sim/scenarios.ts";
import { groupName } from "../../support/fleet.ts";
import { rejection } from "../../support/protocol.ts";
import { refreshWorld } from "../../support/refresh.ts";

/*
 * AWS pages followed here (API reference, Errors of each action):
 * - SetDesiredCapacity: https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_SetDesiredCapacity.html
 *   "ResourceContention: You already have a pending update to an Amazon EC2 Auto Scaling resource (for example, an
 *   Auto Scaling group, instance, or load balancer). HTTP Status Code: 500"; "ScalingActivityInProgress: The operation
 *   can't be performed because there are scaling activities in progress. HTTP Status Code: 400".
 * - DescribeAutoScalingGroups: https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_DescribeAutoScalingGroups.html
 *   lists ResourceContention but not ScalingActivityInProgress.
 */

describe("Auto Scaling transient errors as faults", () => {
  it("scaling-activity-in-progress fails only the actions that document it", async () => {
    const { world, clients } = refreshWorld({ faults: { api: [{ service: "autoscaling", action: "*", kind: "scaling-activity-in-progress", rate: 1 }] } });
    const AutoScalingGroupName = groupName(world);
    const error = await rejection(clients.autoScaling.send(new SetDesiredCapacityCommand({ AutoScalingGroupName, DesiredCapacity: 5 })));
    expect(error).toMatchObject({ name: "ScalingActivityInProgressFault", $fault: "client", $metadata: { httpStatusCode: 400 } });
    expect(error.message).toBe("The operation can't be performed because there are scaling activities in progress.");
    const update = await rejection(clients.autoScaling.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName, MaxSize: 9 })));
    expect(update.name).toBe("ScalingActivityInProgressFault");
    const groups = await clients.autoScaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [AutoScalingGroupName] }));
    expect(groups.AutoScalingGroups?.[0]?.DesiredCapacity).toBe(4);
    await clients.autoScaling.send(new StartInstanceRefreshCommand({ AutoScalingGroupName }));
  });

  it("resource-contention is a 500 server fault on any Auto Scaling action", async () => {
    const { world, clients } = refreshWorld({ faults: { api: [{ service: "autoscaling", action: "*", kind: "resource-contention", rate: 1 }] } });
    const AutoScalingGroupName = groupName(world);
    for (const command of [new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [AutoScalingGroupName] }), new StartInstanceRefreshCommand({ AutoScalingGroupName })]) {
      const error = await rejection(clients.autoScaling.send(command as DescribeAutoScalingGroupsCommand));
      expect(error).toMatchObject({ name: "ResourceContentionFault", $fault: "server", $metadata: { httpStatusCode: 500 } });
    }
    expect(world.autoscaling.group(AutoScalingGroupName)?.refreshes).toEqual([]);
  });

  const rejected: [string, Record<string, unknown>, string][] = [
    ["an Auto Scaling kind on another service", { service: "elasticloadbalancing", kind: "resource-contention", rate: 0.5 }, "faults.api.0.kind"],
    ["ScalingActivityInProgress on an action that never returns it", { service: "autoscaling", action: "DescribeAutoScalingGroups", kind: "scaling-activity-in-progress", rate: 0.5 }, "faults.api.0.action"],
  ];
  it.each(rejected)("rejects %s with a config error naming the field", (_name, fault, field) => {
    expect(() => parseScenarioConfig({ faults: { api: [fault] } }, "test")).toThrow(field);
  });
});
