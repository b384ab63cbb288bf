import { SetDesiredCapacityCommand } from "@aws-sdk/client-auto-scaling";
import { RegisterTargetsCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { describe, expect, it } from "vitest";
import { groupName, instanceAt, makeWorld, targetGroupArn } from "../../support/fleet.ts";
import { rejection } from "../../support/protocol.ts";
import { describeHealth, sdkClients } from "../../support/target-health.ts";

/*
 * RegisterTargets, ELBv2 API reference: "The target must be in the running state when you register it"
 * and the InvalidTarget error ("The specified target does not exist, is not in the same VPC as the
 * target group, or has an unsupported instance type"):
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_RegisterTargets.html
 */
describe("RegisterTargets rejects what is not a running instance (ELBv2 API reference, RegisterTargets)", () => {
  it.each<{ name: string; instance: "pending" | "missing"; message: string }>([
    { name: "a pending instance", instance: "pending", message: "not in a running state" },
    { name: "an instance that does not exist", instance: "missing", message: "do not exist" },
  ])("$name is InvalidTarget", async ({ instance, message }) => {
    const world = makeWorld({ clients: { sessions: 0 } });
    const clients = sdkClients(world);
    await clients.autoScaling.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: groupName(world), DesiredCapacity: 4 }));
    world.advance(1);
    const launched = instanceAt(world, 3);
    expect(launched.ec2State).toBe("pending");
    const id = instance === "pending" ? launched.instanceId : "i-0000000000000dead";
    const error = await rejection(clients.elbv2.send(new RegisterTargetsCommand({ TargetGroupArn: targetGroupArn(world), Targets: [{ Id: id }] })));
    expect(error.name).toBe("InvalidTargetException");
    expect(error.message).toContain(message);
    expect(world.elb.targetGroups()[0]?.targets.has(id)).toBe(false);
  });

  it("the ASG registers a launched instance itself once it is running and InService", async () => {
    const world = makeWorld({ clients: { sessions: 0 } });
    const clients = sdkClients(world);
    await clients.autoScaling.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: groupName(world), DesiredCapacity: 4 }));
    world.advance(1);
    const launched = instanceAt(world, 3);
    world.advance(4);
    expect(launched.ec2State).toBe("pending");
    expect(await describeHealth(clients, world, launched.instanceId)).toEqual({ state: "unused", reason: "Target.NotRegistered" });
    world.advance(1);
    expect(launched).toMatchObject({ ec2State: "running", lifecycleState: "InService" });
    expect(await describeHealth(clients, world, launched.instanceId)).toEqual({ state: "initial", reason: "Elb.RegistrationInProgress" });
    await clients.elbv2.send(new RegisterTargetsCommand({ TargetGroupArn: targetGroupArn(world), Targets: [{ Id: launched.instanceId }] }));
  });
});
