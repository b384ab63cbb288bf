import { describe, expect, it } from "vitest";
import { loadScenario } from "../../../sim/scenarios.ts";
import { simulate } from "../../../sim/simulate.ts";
import { advanceUntil, asg, elb, instanceAt, makeWorld, targetGroupArn } from "../../support/fleet.ts";

// Target groups for your Application Load Balancers, "Deregistration delay":
// https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-target-groups.html#deregistration-delay
// Whoever closes an instance's open connections (the ALB when the delay expires, or a termination),
// the instance was not drained: terminatedWithoutDrain counts it, once.
describe("forced disconnects are attributed to the instance that held them", () => {
  it("the load balancer cutting at deregistration-delay expiry counts the instance", () => {
    const world = makeWorld({ targetGroup: { deregistrationDelaySeconds: 30 } });
    const id = instanceAt(world, 0).instanceId;
    elb(world, "DeregisterTargets", { TargetGroupArn: targetGroupArn(world), Targets: [{ Id: id }] });
    world.advance(30);
    expect(world.stats.forcedDisconnectsBy).toEqual({ "deregistration-delay": 100, termination: 0, crash: 0 });
    expect(world.stats.terminatedWithoutDrain).toBe(1);
  });

  it("a termination that finds connections open counts the instance (no target group to wait for)", () => {
    const world = makeWorld({ fleet: { targetRegistration: "ebb" } });
    const id = instanceAt(world, 1).instanceId;
    asg(world, "TerminateInstanceInAutoScalingGroup", { InstanceId: id, ShouldDecrementDesiredCapacity: "false" });
    advanceUntil(world, () => world.autoscaling.instance(id)?.ec2State !== "running");
    expect(world.stats.forcedDisconnectsBy).toEqual({ "deregistration-delay": 0, termination: 100, crash: 0 });
    expect(world.stats.terminatedWithoutDrain).toBe(1);
  });

  it("an instance cut by the load balancer and then terminated counts once", () => {
    const world = makeWorld({ targetGroup: { deregistrationDelaySeconds: 30 } });
    const id = instanceAt(world, 2).instanceId;
    asg(world, "TerminateInstanceInAutoScalingGroup", { InstanceId: id, ShouldDecrementDesiredCapacity: "false" });
    advanceUntil(world, () => world.autoscaling.instance(id)?.lifecycleState === "Terminated");
    expect(world.stats.forcedDisconnects).toBe(100);
    expect(world.stats.terminatedWithoutDrain).toBe(1);
  });

  it("a crash drops connections without counting as a termination without drain", () => {
    const world = makeWorld();
    world.autoscaling.crashInstance(instanceAt(world, 0).instanceId);
    expect(world.stats.forcedDisconnectsBy).toEqual({ "deregistration-delay": 0, termination: 0, crash: 100 });
    expect(world.stats.terminatedWithoutDrain).toBe(0);
  });

  it("instance-refresh cannot report 0 instances cut next to thousands of forced disconnects", async () => {
    const report = await simulate(loadScenario("rolling-deploy"), { strategy: "instance-refresh" });
    expect(report.connections.forcedDisconnects).toBeGreaterThan(10_000);
    // Cut when the deregistration delay ends: by the load balancer, or by the termination the ASG
    // starts in that same second (fleet.asgDrainWait full-delay); never by a crash.
    const { "deregistration-delay": byDelay, termination, crash } = report.connections.forcedDisconnectsBy;
    expect(byDelay + termination).toBe(report.connections.forcedDisconnects);
    expect(crash).toBe(0);
    expect(report.instances.terminatedWithoutDrain).toBe(12);
  });
});
