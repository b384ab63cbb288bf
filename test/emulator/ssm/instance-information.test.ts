import { DescribeInstanceInformationCommand, SSMClient } from "@aws-sdk/client-ssm";
import { describe, expect, it } from "vitest";
import { ssmService } from "../../../emulator/ssm/actions/index.ts";
import type { World } from "../../../sim/world.ts";
import { clientConfigFor, newWorld } from "../../support/protocol.ts";

/*
 * SSM API Reference, DescribeInstanceInformation: lists managed nodes (an EC2 instance appears once
 * its SSM Agent has registered), each with PingStatus "Online" | "ConnectionLost" | "Inactive"
 * ("The status Inactive has been deprecated and is no longer in use"); Filters key "InstanceIds".
 * https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_DescribeInstanceInformation.html
 * https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_InstanceInformation.html
 */

const ssmClient = (world: World) => new SSMClient(clientConfigFor(world, { ssm: ssmService }));

const listed = async (world: World, ids?: string[]) =>
  (
    await ssmClient(world).send(new DescribeInstanceInformationCommand(ids === undefined ? {} : { Filters: [{ Key: "InstanceIds", Values: ids }] }))
  ).InstanceInformationList?.map((node) => [node.InstanceId, node.PingStatus]);

describe("DescribeInstanceInformation", () => {
  it("lists the fleet's registered nodes, Online while they run, filtered by InstanceIds", async () => {
    const world = newWorld({ fleet: { desiredCapacity: 2 }, aws: { ssm: { agentStartSeconds: 30 } } });
    const [first, second] = world.autoscaling.instances().map((instance) => instance.instanceId);
    world.advance(31);
    expect(await listed(world, [first ?? ""])).toEqual([[first, "Online"]]);
    expect(await listed(world)).toEqual([[first, "Online"], [second, "Online"]]);
  });

  it("shows ConnectionLost once the instance no longer runs", async () => {
    const world = newWorld({ fleet: { desiredCapacity: 1 } });
    world.advance(60);
    const instance = world.autoscaling.instances()[0];
    if (instance === undefined) throw new Error("no instance");
    instance.ec2State = "shutting-down";
    expect(await listed(world, [instance.instanceId])).toEqual([[instance.instanceId, "ConnectionLost"]]);
  });
});
