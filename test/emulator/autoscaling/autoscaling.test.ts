import { describe, expect, it } from "vitest";
import type { World } from "../../../sim/world.ts";
import { advanceUntil, asg, groupName, instanceAt, makeWorld, stateOf } from "../../support/fleet.ts";

const live = (world: World) => world.autoscaling.instances().filter((instance) => instance.lifecycleState !== "Terminated");
const perZone = (world: World, states: readonly string[] = ["InService"]) => {
  const counts: Record<string, number> = {};
  for (const instance of live(world)) if (states.includes(instance.lifecycleState)) counts[instance.availabilityZone] = (counts[instance.availabilityZone] ?? 0) + 1;
  return counts;
};
const setDesired = (world: World, capacity: number) => asg(world, "SetDesiredCapacity", { AutoScalingGroupName: groupName(world), DesiredCapacity: String(capacity) });

describe("auto scaling group physics", () => {
  it("creates the initial fleet in launch order, round-robin over the zones, registered and healthy", () => {
    const world = makeWorld({ fleet: { desiredCapacity: 5 } });
    const instances = world.autoscaling.instances();
    expect(instances.map((instance) => instance.instanceId)).toEqual(["i-0000000000000001", "i-0000000000000002", "i-0000000000000003", "i-0000000000000004", "i-0000000000000005"]);
    expect(instances.map((instance) => instance.availabilityZone)).toEqual(["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1a", "us-east-1b"]);
    expect(instances.every((instance) => instance.lifecycleState === "InService" && stateOf(world, instance.instanceId) === "healthy")).toBe(true);
    expect(world.stats.instancesLaunched).toBe(0);
  });

  it("reconciles desired capacity with AZ-balanced launches and terminations", () => {
    const world = makeWorld({ fleet: { desiredCapacity: 6, maxSize: 12 }, clients: { sessions: 0 } });
    setDesired(world, 9);
    advanceUntil(world, () => live(world).filter((instance) => instance.lifecycleState === "InService").length === 9);
    expect(perZone(world)).toEqual({ "us-east-1a": 3, "us-east-1b": 3, "us-east-1c": 3 });
    expect(world.stats.instancesLaunched).toBe(3);
    setDesired(world, 3);
    advanceUntil(world, () => live(world).length === 3);
    expect(perZone(world)).toEqual({ "us-east-1a": 1, "us-east-1b": 1, "us-east-1c": 1 });
    expect(world.stats.instancesTerminated).toBe(6);
  });

  it("scale in prefers outdated launch templates and never picks protected instances", () => {
    const world = makeWorld({ fleet: { desiredCapacity: 3, protectedInstances: [0] }, clients: { sessions: 0 } });
    asg(world, "UpdateAutoScalingGroup", { AutoScalingGroupName: groupName(world), LaunchTemplate: { LaunchTemplateName: "ebb-app", Version: "2" }, MaxSize: "6" });
    setDesired(world, 6);
    advanceUntil(world, () => live(world).filter((instance) => instance.lifecycleState === "InService").length === 6);
    setDesired(world, 3);
    advanceUntil(world, () => live(world).length === 3);
    expect(live(world).map((instance) => [instance.launchIndex, instance.launchTemplate.version, instance.availabilityZone])).toEqual([
      [0, "1", "us-east-1a"],
      [4, "2", "us-east-1b"],
      [5, "2", "us-east-1c"],
    ]);
  });

  it("replaces an instance set Unhealthy, keeping the desired capacity", () => {
    const world = makeWorld({ clients: { sessions: 0 } });
    const sick = instanceAt(world, 1);
    asg(world, "SetInstanceHealth", { InstanceId: sick.instanceId, HealthStatus: "Unhealthy" });
    advanceUntil(world, () => sick.lifecycleState === "Terminated" && live(world).filter((instance) => instance.lifecycleState === "InService").length === 3);
    expect(world.stats.instancesLaunched).toBe(1);
  });

  it("with ELB health checks, an instance unhealthy in its target group is replaced; not while ReplaceUnhealthy is suspended", () => {
    const world = makeWorld({ clients: { sessions: 0 } });
    asg(world, "SuspendProcesses", { AutoScalingGroupName: groupName(world), ScalingProcesses: ["ReplaceUnhealthy"] });
    const crashed = instanceAt(world, 0);
    world.autoscaling.crashInstance(crashed.instanceId);
    world.advance(60);
    expect(crashed.healthStatus).toBe("Unhealthy");
    expect(crashed.lifecycleState).toBe("InService");
    const described = asg(world, "DescribeAutoScalingGroups", { AutoScalingGroupNames: [groupName(world)] }) as { AutoScalingGroups: { SuspendedProcesses: { ProcessName: string }[] }[] };
    expect(described.AutoScalingGroups[0]?.SuspendedProcesses.map((process) => process.ProcessName)).toEqual(["ReplaceUnhealthy"]);
    asg(world, "ResumeProcesses", { AutoScalingGroupName: groupName(world) });
    advanceUntil(world, () => crashed.lifecycleState === "Terminated");
  });

  it("new instances get the health check grace period before ELB health counts", () => {
    const world = makeWorld({ clients: { sessions: 0 }, fleet: { healthCheckGracePeriodSeconds: 300 }, app: { versions: { "2": { healthy: false } } } });
    asg(world, "UpdateAutoScalingGroup", { AutoScalingGroupName: groupName(world), LaunchTemplate: { LaunchTemplateName: "ebb-app", Version: "2" } });
    asg(world, "TerminateInstanceInAutoScalingGroup", { InstanceId: instanceAt(world, 0).instanceId, ShouldDecrementDesiredCapacity: "false" });
    advanceUntil(world, () => world.autoscaling.instanceByLaunchIndex(3)?.lifecycleState === "InService");
    const bad = instanceAt(world, 3);
    const inServiceAt = world.elapsedSeconds;
    advanceUntil(world, () => stateOf(world, bad.instanceId) === "unhealthy");
    expect(bad.healthStatus).toBe("Healthy");
    advanceUntil(world, () => bad.healthStatus === "Unhealthy" || bad.lifecycleState !== "InService");
    expect(world.elapsedSeconds - inServiceAt).toBeGreaterThanOrEqual(300);
  });

  it("suspending Launch stops replacements until resumed", () => {
    const world = makeWorld({ clients: { sessions: 0 } });
    asg(world, "SuspendProcesses", { AutoScalingGroupName: groupName(world), ScalingProcesses: ["Launch"] });
    setDesired(world, 5);
    world.advance(120);
    expect(live(world)).toHaveLength(3);
    asg(world, "ResumeProcesses", { AutoScalingGroupName: groupName(world), ScalingProcesses: ["Launch"] });
    world.advance(1);
    expect(live(world)).toHaveLength(5);
  });

  it("standby leaves the target group and comes back through Pending", () => {
    const world = makeWorld({ clients: { sessions: 0 } });
    const parked = instanceAt(world, 2);
    asg(world, "EnterStandby", { AutoScalingGroupName: groupName(world), InstanceIds: [parked.instanceId], ShouldDecrementDesiredCapacity: "true" });
    // The ASG waits the whole deregistration delay (fleet.asgDrainWait "full-delay"), even with no connections.
    world.advance(world.config.targetGroup.deregistrationDelaySeconds - 1);
    expect(parked.lifecycleState).toBe("EnteringStandby");
    expect(stateOf(world, parked.instanceId)).toBe("draining");
    world.advance(1);
    expect(parked.lifecycleState).toBe("Standby");
    expect(stateOf(world, parked.instanceId)).toBe("unused");
    expect(world.autoscaling.group(groupName(world))?.desiredCapacity).toBe(2);
    expect(() => asg(world, "EnterStandby", { AutoScalingGroupName: groupName(world), InstanceIds: [parked.instanceId], ShouldDecrementDesiredCapacity: "true" })).toThrow(`The instance ${parked.instanceId} is not in InService.`);
    asg(world, "ExitStandby", { AutoScalingGroupName: groupName(world), InstanceIds: [parked.instanceId] });
    world.advance(1);
    expect(parked.lifecycleState).toBe("InService");
    expect(stateOf(world, parked.instanceId)).toBe("initial");
    expect(live(world)).toHaveLength(3);
  });

  it("validates capacity changes and changes nothing on error", () => {
    const world = makeWorld({ fleet: { minSize: 1, maxSize: 6 } });
    expect(() => setDesired(world, 7)).toThrow("New SetDesiredCapacity value 7 is above max value 6 for the AutoScalingGroup.");
    expect(() => asg(world, "UpdateAutoScalingGroup", { AutoScalingGroupName: groupName(world), MinSize: "2", MaxSize: "1" })).toThrow("Max bound, 1, must be greater than or equal to min bound, 2");
    expect(() => asg(world, "UpdateAutoScalingGroup", { AutoScalingGroupName: groupName(world), LaunchTemplate: { LaunchTemplateName: "other" } })).toThrow("does not exist");
    const group = world.autoscaling.group(groupName(world));
    expect([group?.minSize, group?.maxSize, group?.desiredCapacity, group?.launchTemplate.version]).toEqual([1, 6, 3, "1"]);
    expect(() => asg(world, "SetDesiredCapacity", { AutoScalingGroupName: "missing", DesiredCapacity: "1" })).toThrow("AutoScalingGroup name not found - AutoScalingGroup 'missing' not found");
  });
});
