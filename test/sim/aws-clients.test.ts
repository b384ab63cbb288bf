import { DescribeAutoScalingGroupsCommand } from "@aws-sdk/client-auto-scaling";
import { DescribeInstancesCommand } from "@aws-sdk/client-ec2";
import { DescribeTargetGroupsCommand, DescribeTargetHealthCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { DescribeStateMachineCommand, ListStateMachinesCommand } from "@aws-sdk/client-sfn";
import { describe, expect, it } from "vitest";
import { createAwsClients } from "../../sim/aws-clients.ts";
import { newWorld } from "../support/protocol.ts";

describe("createAwsClients", () => {
  it("gives real SDK clients that see one consistent world across services", async () => {
    const world = newWorld();
    const aws = createAwsClients(world, { maxAttempts: 1 });
    const [group] = (await aws.autoScaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ["ebb-demo-asg"] }))).AutoScalingGroups ?? [];
    const reservations = (await aws.ec2.send(new DescribeInstancesCommand({}))).Reservations ?? [];
    const ec2Ids = reservations.flatMap((reservation) => reservation.Instances ?? []).map((instance) => instance.InstanceId);
    expect(group?.Instances?.map((instance) => instance.InstanceId).sort()).toEqual([...ec2Ids].sort());

    const [targetGroup] = (await aws.elbv2.send(new DescribeTargetGroupsCommand({}))).TargetGroups ?? [];
    const health = await aws.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: targetGroup?.TargetGroupArn }));
    expect(health.TargetHealthDescriptions?.map((description) => description.Target?.Id).sort()).toEqual([...ec2Ids].sort());
    expect(world.stats.apiCalls.get("elasticloadbalancing:DescribeTargetHealth")).toBe(1);
  });

  it("shares one Describe token bucket among every client of a world", async () => {
    // Calls at one instant, so the bucket cannot refill between them (test/emulator/protocol/api-latency.test.ts covers refills).
    const world = newWorld({ aws: { apiLatencyMs: 0 } });
    const first = createAwsClients(world, { maxAttempts: 1 });
    const second = createAwsClients(world, { maxAttempts: 1 });
    for (let i = 0; i < 40; i++) await first.elbv2.send(new DescribeTargetGroupsCommand({}));
    await expect(second.elbv2.send(new DescribeTargetGroupsCommand({}))).rejects.toMatchObject({ name: "Throttling" });
    world.advance(1);
    const after = await second.elbv2.send(new DescribeTargetGroupsCommand({}));
    expect(after.TargetGroups).toHaveLength(1);
  });

  it("routes Step Functions' JSON 1.0 calls to the local Step Functions service, errors included", async () => {
    const world = newWorld();
    const { sfn } = createAwsClients(world, { maxAttempts: 1 });
    const listed = await sfn.send(new ListStateMachinesCommand({}));
    expect(Array.isArray(listed.stateMachines)).toBe(true);
    await expect(sfn.send(new DescribeStateMachineCommand({ stateMachineArn: "not-an-arn" }))).rejects.toMatchObject({
      name: "InvalidArn",
      $metadata: { httpStatusCode: 400 },
    });
    expect(world.stats.apiCalls.get("states:DescribeStateMachine")).toBe(1);
  });
});
