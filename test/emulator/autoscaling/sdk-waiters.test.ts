import {
  DeregisterTargetsCommand,
  DescribeTargetHealthCommand,
  RegisterTargetsCommand,
  waitUntilTargetDeregistered,
  waitUntilTargetInService,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { CompleteLifecycleActionCommand, DescribeAutoScalingGroupsCommand, SetDesiredCapacityCommand, paginateDescribeAutoScalingInstances } from "@aws-sdk/client-auto-scaling";
import { describe, expect, it } from "vitest";
import { createAwsClients } from "../../../sim/aws-clients.ts";
import { instanceAt, makeWorld, targetGroupArn } from "../../support/fleet.ts";

/** Each DescribeTargetHealth poll moves virtual time on by this much (the waiter's own delay is tiny wall time). */
const VIRTUAL_SECONDS_PER_POLL = 5;
const fastPolling = { minDelay: 0.001, maxDelay: 0.002, maxWaitTime: 10 };

function wiredWorld(input: Parameters<typeof makeWorld>[0]) {
  const world = makeWorld(input);
  const clients = createAwsClients(world, {
    onRequest: (_service, action) => {
      if (action === "DescribeTargetHealth") world.advance(VIRTUAL_SECONDS_PER_POLL);
    },
  });
  return { world, clients };
}

describe("real SDK waiters against the physics", () => {
  it("waitUntilTargetInService succeeds once the health checks pass", async () => {
    const { world, clients } = wiredWorld({ clients: { sessions: 0 } });
    const id = instanceAt(world, 0).instanceId;
    const TargetGroupArn = targetGroupArn(world);
    await clients.elbv2.send(new DeregisterTargetsCommand({ TargetGroupArn, Targets: [{ Id: id }] }));
    await clients.elbv2.send(new RegisterTargetsCommand({ TargetGroupArn, Targets: [{ Id: id }] }));
    const registeredAt = world.elapsedSeconds;
    const result = await waitUntilTargetInService({ client: clients.elbv2, ...fastPolling }, { TargetGroupArn, Targets: [{ Id: id }] });
    expect(result.state).toBe("SUCCESS");
    // A new target needs its registration and one passing check, not healthyThreshold × interval.
    const { registrationSeconds, healthCheck } = world.config.targetGroup;
    expect(world.elapsedSeconds - registeredAt).toBeGreaterThanOrEqual(registrationSeconds);
    expect(world.elapsedSeconds - registeredAt).toBeLessThan(healthCheck.healthyThreshold * healthCheck.intervalSeconds);
    const health = await clients.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn, Targets: [{ Id: id }] }));
    expect(health.TargetHealthDescriptions?.[0]?.TargetHealth).toEqual({ State: "healthy" });
  });

  it("waitUntilTargetDeregistered succeeds once the deregistration delay has closed the connections", async () => {
    const { world, clients } = wiredWorld({ targetGroup: { deregistrationDelaySeconds: 60 } });
    const id = instanceAt(world, 1).instanceId;
    const TargetGroupArn = targetGroupArn(world);
    await clients.elbv2.send(new DeregisterTargetsCommand({ TargetGroupArn, Targets: [{ Id: id }] }));
    const startedAt = world.elapsedSeconds;
    const draining = await clients.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn, Targets: [{ Id: id }] }));
    expect(draining.TargetHealthDescriptions?.[0]?.TargetHealth).toMatchObject({ State: "draining", Reason: "Target.DeregistrationInProgress" });
    const result = await waitUntilTargetDeregistered({ client: clients.elbv2, ...fastPolling }, { TargetGroupArn, Targets: [{ Id: id }] });
    expect(result.state).toBe("SUCCESS");
    expect(world.elapsedSeconds - startedAt).toBeGreaterThanOrEqual(60);
    expect(world.stats.forcedDisconnects).toBe(100);
  });

  it("the SDK parses Auto Scaling describes and paginates them", async () => {
    const { world, clients } = wiredWorld({ fleet: { desiredCapacity: 75 }, clients: { sessions: 750 } });
    const groups = await clients.autoScaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [world.config.fleet.autoScalingGroupName] }));
    const group = groups.AutoScalingGroups?.[0];
    expect(group?.Instances).toHaveLength(75);
    expect(group?.TargetGroupARNs).toEqual([targetGroupArn(world)]);
    expect(group?.CreatedTime).toBeInstanceOf(Date);
    expect(group?.Instances?.[0]).toMatchObject({ LifecycleState: "InService", HealthStatus: "Healthy", ProtectedFromScaleIn: false, LaunchTemplate: { LaunchTemplateName: "ebb-app", Version: "1" } });
    const ids: string[] = [];
    let pages = 0;
    for await (const page of paginateDescribeAutoScalingInstances({ client: clients.autoScaling, pageSize: 50 }, {})) {
      pages += 1;
      ids.push(...(page.AutoScalingInstances ?? []).map((instance) => instance.InstanceId ?? ""));
    }
    expect(pages).toBe(2);
    expect(new Set(ids).size).toBe(75);
  });

  it("a second CompleteLifecycleAction reaches the SDK as a ValidationError", async () => {
    const { world, clients } = wiredWorld({ fleet: { lifecycleHooks: [{ name: "ebb-launch", transition: "launch", heartbeatTimeoutSeconds: 300, defaultResult: "ABANDON" }] } });
    const AutoScalingGroupName = world.config.fleet.autoScalingGroupName;
    await clients.autoScaling.send(new SetDesiredCapacityCommand({ AutoScalingGroupName, DesiredCapacity: 4 }));
    world.advance(10);
    const InstanceId = instanceAt(world, 3).instanceId;
    const complete = new CompleteLifecycleActionCommand({ AutoScalingGroupName, LifecycleHookName: "ebb-launch", InstanceId, LifecycleActionResult: "CONTINUE" });
    await clients.autoScaling.send(complete);
    await expect(clients.autoScaling.send(complete)).rejects.toMatchObject({
      name: "ValidationError",
      message: `No active Lifecycle Action found with instance ID ${InstanceId}`,
      $metadata: { httpStatusCode: 400 },
    });
  });
});
