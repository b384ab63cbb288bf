import { describe, expect, it } from "vitest";
import { AwsApiError } from "../../../emulator/protocol/errors.ts";
import { advanceUntil, asg, groupName, instanceAt, makeWorld, stateOf } from "../../support/fleet.ts";

const launchHook = (defaultResult: "CONTINUE" | "ABANDON", heartbeatTimeoutSeconds = 60) =>
  makeWorld({ fleet: { lifecycleHooks: [{ name: "ebb-launch", transition: "launch", heartbeatTimeoutSeconds, defaultResult }] } });

/** Scales out by one and waits until the new instance is in Pending:Wait. */
function launchIntoWait(world: ReturnType<typeof makeWorld>) {
  asg(world, "SetDesiredCapacity", { AutoScalingGroupName: groupName(world), DesiredCapacity: "4" });
  advanceUntil(world, () => world.autoscaling.instanceByLaunchIndex(3)?.lifecycleState === "Pending:Wait");
  return instanceAt(world, 3);
}

describe("lifecycle hooks", () => {
  it("publishes the launch lifecycle event in AWS's shape", () => {
    const world = launchHook("ABANDON");
    const instance = launchIntoWait(world);
    const event = world.events.published().find((candidate) => candidate["detail-type"] === "EC2 Instance-launch Lifecycle Action");
    expect(event).toMatchObject({
      source: "aws.autoscaling",
      resources: [world.autoscaling.group(groupName(world))?.autoScalingGroupArn],
      detail: {
        AutoScalingGroupName: groupName(world),
        LifecycleHookName: "ebb-launch",
        EC2InstanceId: instance.instanceId,
        LifecycleTransition: "autoscaling:EC2_INSTANCE_LAUNCHING",
        Origin: "EC2",
        Destination: "AutoScalingGroup",
      },
    });
    expect((event?.detail as { LifecycleActionToken: string }).LifecycleActionToken).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("an uncompleted hook takes its DefaultResult after HeartbeatTimeout", () => {
    const abandoned = launchHook("ABANDON", 60);
    const instance = launchIntoWait(abandoned);
    abandoned.advance(59);
    expect(instance.lifecycleState).toBe("Pending:Wait");
    abandoned.advance(1);
    expect(instance.lifecycleState.startsWith("Terminat")).toBe(true);
    expect(abandoned.stats.lifecycleTimedOut).toBe(1);

    const continued = launchHook("CONTINUE", 60);
    const kept = launchIntoWait(continued);
    continued.advance(60);
    expect(kept.lifecycleState).toBe("InService");
    expect(stateOf(continued, kept.instanceId)).toBe("initial");
  });

  it("a heartbeat restarts the timeout, up to the global timeout", () => {
    const world = launchHook("ABANDON", 60);
    const instance = launchIntoWait(world);
    const selector = { AutoScalingGroupName: groupName(world), LifecycleHookName: "ebb-launch", InstanceId: instance.instanceId };
    world.advance(50);
    asg(world, "RecordLifecycleActionHeartbeat", selector);
    expect(world.stats.lifecycleHeartbeats).toBe(1);
    world.advance(59);
    expect(instance.lifecycleState).toBe("Pending:Wait");
    world.advance(1);
    expect(instance.lifecycleState).not.toBe("Pending:Wait");
    // The action timed out: a late heartbeat is refused like a late completion, and not counted.
    expect(() => asg(world, "RecordLifecycleActionHeartbeat", selector)).toThrow(/No active Lifecycle Action found/);
    expect(world.stats.lifecycleHeartbeats).toBe(1);

    const patient = launchHook("CONTINUE", 30);
    const kept = launchIntoWait(patient);
    const keptSelector = { ...selector, AutoScalingGroupName: groupName(patient), InstanceId: kept.instanceId };
    let waited = 0;
    while (kept.lifecycleState === "Pending:Wait") {
      asg(patient, "RecordLifecycleActionHeartbeat", keptSelector);
      patient.advance(20);
      waited += 20;
    }
    expect(waited).toBe(3000);
  });

  it("completing an action twice gives the terminal ValidationError and counts the duplicate", () => {
    const world = launchHook("ABANDON");
    const instance = launchIntoWait(world);
    const params = { AutoScalingGroupName: groupName(world), LifecycleHookName: "ebb-launch", InstanceId: instance.instanceId, LifecycleActionResult: "CONTINUE" };
    asg(world, "CompleteLifecycleAction", params);
    expect(world.stats.lifecycleCompleted).toBe(1);
    let error: unknown;
    try {
      asg(world, "CompleteLifecycleAction", params);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(AwsApiError);
    expect(error).toMatchObject({ code: "ValidationError", message: `No active Lifecycle Action found with instance ID ${instance.instanceId}` });
    expect(world.stats.duplicateCompletions).toBe(1);
    world.advance(1);
    expect(instance.lifecycleState).toBe("InService");
  });

  it("completing by token works and an expired action is not found", () => {
    const world = launchHook("CONTINUE", 30);
    const instance = launchIntoWait(world);
    const token = (world.events.published().at(-1)?.detail as { LifecycleActionToken: string }).LifecycleActionToken;
    world.advance(30);
    const complete = () =>
      asg(world, "CompleteLifecycleAction", { AutoScalingGroupName: groupName(world), LifecycleHookName: "ebb-launch", LifecycleActionToken: token, LifecycleActionResult: "CONTINUE" });
    expect(complete).toThrow(`No active Lifecycle Action found with instance ID ${instance.instanceId}`);
    expect(world.stats.duplicateCompletions).toBe(0);
  });

  it("with attached target groups, a terminating instance reaches Terminating:Wait only after the deregistration delay", () => {
    const world = makeWorld({
      targetGroup: { deregistrationDelaySeconds: 120 },
      fleet: { lifecycleHooks: [{ name: "ebb-terminate", transition: "terminate", heartbeatTimeoutSeconds: 600, defaultResult: "CONTINUE" }] },
    });
    const victim = instanceAt(world, 0);
    const held = world.clients.connectionsOf(victim.instanceId);
    asg(world, "TerminateInstanceInAutoScalingGroup", { InstanceId: victim.instanceId, ShouldDecrementDesiredCapacity: "true" });
    expect(victim.lifecycleState).toBe("Terminating");
    const waited = advanceUntil(world, () => victim.lifecycleState === "Terminating:Wait");
    // The ASG notices the finished deregistration on its next physics step.
    expect(waited).toBeGreaterThanOrEqual(120);
    expect(waited).toBeLessThanOrEqual(121);
    // The load balancer already cut what was left: the hook is too late to drain.
    expect(world.stats.forcedDisconnects).toBe(held);
    const event = world.events.published().find((candidate) => candidate["detail-type"] === "EC2 Instance-terminate Lifecycle Action");
    expect(event?.detail).toMatchObject({ LifecycleTransition: "autoscaling:EC2_INSTANCE_TERMINATING", Origin: "AutoScalingGroup", Destination: "EC2" });
    asg(world, "CompleteLifecycleAction", { AutoScalingGroupName: groupName(world), LifecycleHookName: "ebb-terminate", InstanceId: victim.instanceId, LifecycleActionResult: "CONTINUE" });
    advanceUntil(world, () => victim.lifecycleState === "Terminated");
    expect(victim.ec2State).toBe("terminated");
    expect(world.stats.instancesTerminated).toBe(1);
    // Its connections were cut (by the load balancer, before the hook): it was not drained.
    expect(world.stats.terminatedWithoutDrain).toBe(1);
  });

  it("counts an instance terminated while its app still held connections", () => {
    const world = makeWorld({ fleet: { targetRegistration: "ebb" } });
    const victim = instanceAt(world, 1);
    asg(world, "TerminateInstanceInAutoScalingGroup", { InstanceId: victim.instanceId, ShouldDecrementDesiredCapacity: "false" });
    world.advance(1);
    expect(world.stats.terminatedWithoutDrain).toBe(1);
    expect(world.stats.forcedDisconnects).toBe(100);
  });

  it("describes and updates hooks with AWS's fields", () => {
    const world = launchHook("ABANDON", 120);
    asg(world, "PutLifecycleHook", { AutoScalingGroupName: groupName(world), LifecycleHookName: "ebb-terminate", LifecycleTransition: "autoscaling:EC2_INSTANCE_TERMINATING", HeartbeatTimeout: "7200", NotificationMetadata: "{\"stage\":\"dev\"}" });
    const { LifecycleHooks } = asg(world, "DescribeLifecycleHooks", { AutoScalingGroupName: groupName(world) }) as { LifecycleHooks: Record<string, unknown>[] };
    expect(LifecycleHooks).toEqual([
      expect.objectContaining({ LifecycleHookName: "ebb-launch", HeartbeatTimeout: 120, GlobalTimeout: 12000, DefaultResult: "ABANDON" }),
      expect.objectContaining({ LifecycleHookName: "ebb-terminate", HeartbeatTimeout: 7200, GlobalTimeout: 172800, DefaultResult: "ABANDON", NotificationMetadata: "{\"stage\":\"dev\"}" }),
    ]);
    expect(() => asg(world, "PutLifecycleHook", { AutoScalingGroupName: groupName(world), LifecycleHookName: "x", LifecycleTransition: "autoscaling:EC2_INSTANCE_LAUNCHING", HeartbeatTimeout: "10" })).toThrow();
    expect(() => asg(world, "DescribeLifecycleHooks", { AutoScalingGroupName: "nope" })).toThrow("AutoScalingGroup name not found");
  });
});
