import { describe, expect, it } from "vitest";
import type { EventBridgeEvent } from "../../../emulator/events/types.ts";
import type { ScalingEventDetail } from "../../../emulator/autoscaling/scaling-events.ts";
import { quietWorld } from "../../support/world.ts";
import { asg, groupName, makeWorld } from "../../support/fleet.ts";

/*
 * Amazon EventBridge events reference, "Amazon EC2 Auto Scaling events":
 * https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-autoscaling.html
 * "Auto Scaling sends the following events directly to EventBridge: EC2 Instance Launch
 * Successful, EC2 Instance Launch Unsuccessful, EC2 Instance Terminate Successful, ... Delivery
 * type: Best effort". Event shapes: "Amazon EC2 Auto Scaling event reference", successful and
 * unsuccessful scaling events:
 * https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-event-reference.html
 * ("detail": { "StatusCode": "InProgress", "Description": "Terminating EC2 instance: i-...",
 * "AutoScalingGroupName", "ActivityId", "Details": { "Availability Zone", "Subnet ID" },
 * "RequestId", "StatusMessage", "EndTime", "EC2InstanceId", "StartTime", "Cause" }, resources
 * [group ARN, instance ARN]; the unsuccessful launch has "StatusCode": "Failed".)
 */

const probe = { source: "ebb.test", "detail-type": "Probe", detail: {} };

describe("EventBridge best-effort delivery (faults.events)", () => {
  it("drops a seeded share of events at dropRate: never delivered, the same ones for the same seed", () => {
    const run = (seed: number) => {
      const world = quietWorld({ seed, faults: { events: { dropRate: 0.25 } } });
      const delivered: string[] = [];
      world.events.subscribe("probe", { source: ["ebb.test"] }, (event) => void delivered.push(event.id));
      const published = Array.from({ length: 400 }, () => world.events.publish(probe).id);
      world.advance(2);
      const dropped = world.events.dropped().map((event) => event.id);
      expect([...delivered, ...dropped].sort()).toEqual([...published].sort());
      expect(world.events.queuedCount).toBe(0);
      return dropped;
    };
    const dropped = run(3);
    expect(dropped.length).toBeGreaterThan(60);
    expect(dropped.length).toBeLessThan(140);
    expect(run(3)).toEqual(dropped);
    expect(run(4)).not.toEqual(dropped);
  });

  it("delays each delivery by up to jitterSeconds on top of delaySeconds, so later events can arrive first", () => {
    const world = quietWorld({ seed: 5, faults: { events: { delaySeconds: 10, jitterSeconds: 20 } } });
    const arrivals: { id: string; atMs: number }[] = [];
    world.events.subscribe("probe", { source: ["ebb.test"] }, (event) => void arrivals.push({ id: event.id, atMs: world.clock.nowMs }));
    const published = Array.from({ length: 50 }, () => world.events.publish(probe).id);
    const startMs = world.clock.nowMs;
    world.advance(9);
    expect(arrivals).toEqual([]);
    world.advance(22);
    expect(arrivals.map((arrival) => arrival.id).sort()).toEqual([...published].sort());
    const delays = arrivals.map((arrival) => (arrival.atMs - startMs) / 1000);
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(10);
    expect(Math.max(...delays)).toBeLessThanOrEqual(30);
    expect(arrivals.map((arrival) => arrival.id)).not.toEqual(published);
  });
});

describe("Auto Scaling launch and terminate events (EC2 Auto Scaling event reference)", () => {
  const scalingEvents = (events: readonly EventBridgeEvent[]) =>
    events.filter((event) => event.source === "aws.autoscaling" && event["detail-type"].startsWith("EC2 Instance ") && !event["detail-type"].includes("Lifecycle"));

  it("announces EC2 Instance Launch Successful when a launch reaches InService and Terminate Successful at Terminated", () => {
    const world = makeWorld({ clients: { sessions: 0 } });
    const group = world.autoscaling.group(groupName(world));
    const [victim] = world.autoscaling.instances();
    asg(world, "TerminateInstanceInAutoScalingGroup", { InstanceId: victim?.instanceId, ShouldDecrementDesiredCapacity: "false" });
    world.advance(420);
    const events = scalingEvents(world.events.published());
    // The ASG waits out the 300 s deregistration delay before the victim terminates (fleet.asgDrainWait
    // full-delay), so its replacement is InService first.
    expect(events.map((event) => event["detail-type"])).toEqual(["EC2 Instance Launch Successful", "EC2 Instance Terminate Successful"]);
    const terminated = events.find((event) => event["detail-type"] === "EC2 Instance Terminate Successful");
    const launched = events.find((event) => event["detail-type"] === "EC2 Instance Launch Successful");
    const replacement = world.autoscaling.instances()[3];
    expect(terminated?.resources).toEqual([group?.autoScalingGroupArn, `arn:aws:ec2:us-east-1:123456789012:instance/${victim?.instanceId}`]);
    expect(terminated?.detail).toMatchObject({
      StatusCode: "InProgress",
      Description: `Terminating EC2 instance: ${victim?.instanceId}`,
      AutoScalingGroupName: groupName(world),
      EC2InstanceId: victim?.instanceId,
      StatusMessage: "",
      Details: { "Availability Zone": victim?.availabilityZone, "Subnet ID": expect.stringMatching(/^subnet-/) },
    });
    expect(launched?.detail).toMatchObject({ StatusCode: "InProgress", Description: `Launching a new EC2 instance: ${replacement?.instanceId}`, EC2InstanceId: replacement?.instanceId });
    const detail = launched?.detail as ScalingEventDetail;
    expect(Object.keys(detail).sort()).toEqual(["ActivityId", "AutoScalingGroupName", "Cause", "Description", "Details", "EC2InstanceId", "EndTime", "RequestId", "StartTime", "StatusCode", "StatusMessage"]);
    expect(Date.parse(detail.EndTime)).toBeGreaterThan(Date.parse(detail.StartTime));
  });

  it("announces EC2 Instance Launch Unsuccessful (StatusCode Failed) when a launch hook ends in ABANDON", () => {
    const world = makeWorld({ clients: { sessions: 0 }, fleet: { lifecycleHooks: [{ name: "launch-gate", transition: "launch", heartbeatTimeoutSeconds: 30, defaultResult: "ABANDON" }] } });
    asg(world, "SetDesiredCapacity", { AutoScalingGroupName: groupName(world), DesiredCapacity: "4" });
    world.advance(40);
    const failed = scalingEvents(world.events.published()).find((event) => event["detail-type"] === "EC2 Instance Launch Unsuccessful");
    expect(failed?.detail).toMatchObject({ StatusCode: "Failed", StatusMessage: expect.stringContaining("ABANDON"), EC2InstanceId: world.autoscaling.instances()[3]?.instanceId });
    expect(scalingEvents(world.events.published()).filter((event) => event["detail-type"] === "EC2 Instance Launch Successful")).toEqual([]);
  });

  it("does not announce a launch again when an instance returns from Standby", () => {
    const world = makeWorld({ clients: { sessions: 0 } });
    const [instance] = world.autoscaling.instances();
    asg(world, "EnterStandby", { AutoScalingGroupName: groupName(world), InstanceIds: [instance?.instanceId], ShouldDecrementDesiredCapacity: "true" });
    world.advance(400);
    asg(world, "ExitStandby", { AutoScalingGroupName: groupName(world), InstanceIds: [instance?.instanceId] });
    world.advance(30);
    expect(world.autoscaling.instance(instance?.instanceId ?? "")?.lifecycleState).toBe("InService");
    expect(scalingEvents(world.events.published())).toEqual([]);
  });
});
