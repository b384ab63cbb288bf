import { AutoScalingClient, DescribeAutoScalingGroupsCommand, UpdateAutoScalingGroupCommand } from "@aws-sdk/client-auto-scaling";
import { describe, expect, it } from "vitest";
import { inProcessClientConfig } from "../../sim/aws-clients.ts";
import { operatorClientConfig } from "../../sim/operator.ts";
import { parseScenarioConfig } from "../../sim/scenarios.ts";
import { World } from "../../sim/world.ts";

// Amazon EC2 Auto Scaling API Reference, UpdateAutoScalingGroup, Errors: ScalingActivityInProgress and
// ResourceContention are what the operator's setup step meets and runs again.
const faulty = () =>
  new World(parseScenarioConfig({ faults: { api: [{ service: "autoscaling", kind: "scaling-activity-in-progress", rate: 0.6 }, { service: "autoscaling", kind: "throttle", rate: 0.3 }] } }, "operator"));
const update = (name: string) => new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: name, MaxSize: 30 });

describe("the operator's setup calls under injected API faults", () => {
  it("retry the transient errors until the call goes through, where the SDK's default gives up", async () => {
    const world = faulty();
    const name = world.config.fleet.autoScalingGroupName;
    const plain = new AutoScalingClient(inProcessClientConfig(world));
    const outcomes = await Promise.all(Array.from({ length: 10 }, () => plain.send(update(name)).then(() => "ok", (error: Error) => error.name)));
    expect(outcomes).toContain("ScalingActivityInProgressFault");
    const operator = new AutoScalingClient(operatorClientConfig(world));
    for (let i = 0; i < 10; i++) await operator.send(update(name));
    expect(world.autoscaling.group(name)?.maxSize).toBe(30);
  });

  it("do not retry a real error", async () => {
    const world = faulty();
    const operator = new AutoScalingClient(operatorClientConfig(world));
    const failure = await operator.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: world.config.fleet.autoScalingGroupName, MinSize: 50, MaxSize: 10 })).then(() => undefined, (error: Error) => error);
    expect(failure?.name).toBe("ValidationError");
    expect((await new AutoScalingClient(operatorClientConfig(world)).send(new DescribeAutoScalingGroupsCommand({}))).AutoScalingGroups).toHaveLength(1);
  });
});
