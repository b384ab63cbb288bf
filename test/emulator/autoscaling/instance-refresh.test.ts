import { CancelInstanceRefreshCommand, DescribeInstanceRefreshesCommand, type RefreshPreferences } from "@aws-sdk/client-auto-scaling";
import { describe, expect, it } from "vitest";
import { groupName } from "../../support/fleet.ts";
import { rejection } from "../../support/protocol.ts";
import { latestRefresh, refreshEvents, refreshWorld, runRefresh, startRefresh, versionsInService } from "../../support/refresh.ts";

/*
 * AWS pages followed here:
 * - RefreshPreferences (API reference): https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_RefreshPreferences.html
 *   "MinHealthyPercentage ... Value range is 0 to 100 ... the default is 90 percent"; "MaxHealthyPercentage ... Value
 *   range is 100 to 200. If you specify MaxHealthyPercentage, you must also specify MinHealthyPercentage, and the
 *   difference between them cannot be greater than 100"; "When MaxHealthyPercentage is explicitly set and it is
 *   mathematically impossible to replace instances while honoring both ... bounds simultaneously, Auto Scaling launches
 *   a new instance before terminating an old one ... When MaxHealthyPercentage is omitted, Auto Scaling terminates an
 *   instance and launches its replacement simultaneously"; "If you specify a value for CheckpointPercentages and not for
 *   CheckpointDelay, the CheckpointDelay defaults to 3600 (1 hour)".
 * - How an instance refresh works: https://docs.aws.amazon.com/autoscaling/ec2/userguide/instance-refresh-overview.html
 * - Add checkpoints to an instance refresh: https://docs.aws.amazon.com/autoscaling/ec2/userguide/asg-adding-checkpoints-instance-refresh.html
 *   "The last value shown in the CheckpointPercentages array describes the percentage of the Auto Scaling group that
 *   needs to be successfully replaced. The operation transitions to Successful after this percentage is successfully replaced".
 * - CancelInstanceRefresh: https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_CancelInstanceRefresh.html
 *   "WaitForTransitioningInstances ... whether to wait for in-flight launches and terminations to complete. The default is true."
 * - StartInstanceRefresh: https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_StartInstanceRefresh.html
 *   "An instance refresh might fail for several reasons, such as EC2 launch failures, misconfigured health checks ..."
 * - Instance refresh example events and patterns: https://docs.aws.amazon.com/autoscaling/ec2/userguide/instance-refresh-eventbridge-events.html
 */

describe("StartInstanceRefresh validates RefreshPreferences as the API reference states", () => {
  const tooMany = Array.from({ length: 11 }, (_, index) => `alarm-${index}`);
  const cases: [string, RefreshPreferences, boolean, string][] = [
    ["MaxHealthyPercentage without MinHealthyPercentage", { MaxHealthyPercentage: 150 }, true, "MinHealthyPercentage must be specified"],
    ["max - min above 100", { MinHealthyPercentage: 40, MaxHealthyPercentage: 150 }, true, "cannot be greater than 100"],
    ["MaxHealthyPercentage below 100", { MinHealthyPercentage: 90, MaxHealthyPercentage: 99 }, true, "MaxHealthyPercentage"],
    ["MaxHealthyPercentage above 200", { MinHealthyPercentage: 100, MaxHealthyPercentage: 201 }, true, "MaxHealthyPercentage"],
    ["MinHealthyPercentage above 100", { MinHealthyPercentage: 101 }, true, "MinHealthyPercentage"],
    ["CheckpointDelay without CheckpointPercentages", { CheckpointDelay: 60 }, true, "CheckpointPercentages must be specified"],
    ["checkpoints out of order", { CheckpointPercentages: [50, 20] }, true, "ascending"],
    ["a checkpoint of 0", { CheckpointPercentages: [0, 100] }, true, "CheckpointPercentages"],
    ["CheckpointDelay above 172800", { CheckpointPercentages: [50], CheckpointDelay: 172_801 }, true, "CheckpointDelay"],
    ["more than 10 alarms", { AlarmSpecification: { Alarms: tooMany } }, true, "at most 10 alarms"],
    ["an alarm that does not exist", { AlarmSpecification: { Alarms: ["no-such-alarm"] } }, true, "do not exist: no-such-alarm"],
    ["AutoRollback without a desired configuration", { AutoRollback: true }, false, "requires a DesiredConfiguration"],
  ];
  it.each(cases)("rejects %s with ValidationError", async (_name, preferences, desired, message) => {
    const { world, clients } = refreshWorld();
    const error = await rejection(startRefresh(world, clients, preferences, desired));
    expect(error.name).toBe("ValidationError");
    expect(error.message).toContain(message);
    expect(world.autoscaling.group(groupName(world))?.refreshes).toEqual([]);
  });

  it("fills in the CLI defaults (Understand the default values for an instance refresh)", async () => {
    const { world, clients } = refreshWorld({ fleet: { healthCheckGracePeriodSeconds: 120 } });
    await startRefresh(world, clients, { InstanceWarmup: undefined, CheckpointPercentages: [50, 100] });
    const response = await clients.autoScaling.send(new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: groupName(world) }));
    expect(response.InstanceRefreshes?.[0]?.Preferences).toEqual({
      MinHealthyPercentage: 90,
      InstanceWarmup: 120,
      CheckpointPercentages: [50, 100],
      CheckpointDelay: 3600,
      SkipMatching: false,
      AutoRollback: false,
      ScaleInProtectedInstances: "Wait",
      StandbyInstances: "Wait",
      BakeTime: 0,
    });
  });
});

describe("minimum and maximum healthy percentage bound each round (RefreshPreferences)", () => {
  // A fleet of 4: [preferences, fewest healthy in service, most instances counting toward capacity, rounds' launches].
  const cases: [string, RefreshPreferences, number, number][] = [
    ["defaults (min 90, max omitted): terminate one, launch one", {}, 3, 4],
    ["min 50, max omitted: two at a time", { MinHealthyPercentage: 50 }, 2, 4],
    ["min 0, max 100: the whole group at once", { MinHealthyPercentage: 0, MaxHealthyPercentage: 100 }, 0, 4],
    ["min 100, max omitted: still one terminated first", { MinHealthyPercentage: 100 }, 3, 4],
    ["min 100, max 100 explicit: launches one before terminating", { MinHealthyPercentage: 100, MaxHealthyPercentage: 100 }, 4, 5],
    ["min 100, max 150: launches two before terminating", { MinHealthyPercentage: 100, MaxHealthyPercentage: 150 }, 4, 6],
    ["min 50, max 150: two terminated and two launched first", { MinHealthyPercentage: 50, MaxHealthyPercentage: 150 }, 2, 6],
  ];
  it.each(cases)("%s", async (_name, preferences, minHealthy, peakActive) => {
    const { world, clients } = refreshWorld();
    await startRefresh(world, clients, preferences);
    const trace = runRefresh(world);
    expect(latestRefresh(world).status).toBe("Successful");
    expect({ minHealthy: trace.minHealthy, peakActive: trace.peakActive }).toEqual({ minHealthy, peakActive });
    expect(versionsInService(world)).toEqual(["2", "2", "2", "2"]);
    expect(world.stats.instancesLaunched).toBe(4);
    const described = await clients.autoScaling.send(new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: groupName(world) }));
    expect(described.InstanceRefreshes?.[0]).toMatchObject({ Status: "Successful", PercentageComplete: 100, InstancesToUpdate: 0 });
  });
});

describe("checkpoints (Add checkpoints to an instance refresh)", () => {
  it("pauses CheckpointDelay at each threshold, sends Checkpoint Reached, and ends at the last one", async () => {
    const { world, clients } = refreshWorld();
    await startRefresh(world, clients, { MinHealthyPercentage: 75, CheckpointPercentages: [50, 100], CheckpointDelay: 600 });
    const trace = runRefresh(world);
    expect(latestRefresh(world).status).toBe("Successful");
    const checkpoints = refreshEvents(world).filter((event) => event.type === "Checkpoint Reached");
    expect(checkpoints.map((event) => event.detail)).toEqual([
      expect.objectContaining({ CheckpointPercentage: "50", CheckpointDelay: "600" }),
      expect.objectContaining({ CheckpointPercentage: "100", CheckpointDelay: "600" }),
    ]);
    expect(trace.seconds).toBeGreaterThanOrEqual(600);
  });

  it("a last checkpoint below 100 is a partial refresh that ends Successful", async () => {
    const { world, clients } = refreshWorld();
    await startRefresh(world, clients, { MinHealthyPercentage: 75, CheckpointPercentages: [50] });
    runRefresh(world);
    expect(latestRefresh(world).status).toBe("Successful");
    expect(versionsInService(world)).toEqual(["1", "1", "2", "2"]);
  });

  it("replaces nothing while paused at a checkpoint", async () => {
    const { world, clients } = refreshWorld();
    await startRefresh(world, clients, { MinHealthyPercentage: 75, CheckpointPercentages: [25, 100] });
    for (let second = 0; second < 1800 && refreshEvents(world).every((event) => event.type !== "Checkpoint Reached"); second++) world.advance(1);
    const launched = world.stats.instancesLaunched;
    world.advance(3599);
    expect(world.stats.instancesLaunched).toBe(launched);
    world.advance(2);
    expect(world.stats.instancesLaunched).toBe(launched + 1);
  });
});

describe("bake time (RefreshPreferences BakeTime)", () => {
  it("waits BakeTime as Baking after the last replacement, then succeeds", async () => {
    const { world, clients } = refreshWorld();
    await startRefresh(world, clients, { MinHealthyPercentage: 50, BakeTime: 900 });
    for (let second = 0; second < 1800 && latestRefresh(world).status !== "Baking"; second++) world.advance(1);
    expect(latestRefresh(world).status).toBe("Baking");
    expect(versionsInService(world)).toEqual(["2", "2", "2", "2"]);
    const trace = runRefresh(world);
    expect(trace.seconds).toBeGreaterThanOrEqual(899);
    expect(latestRefresh(world).status).toBe("Successful");
    expect(refreshEvents(world).map((event) => event.type)).toEqual(["Started", "Started Baking", "Succeeded"]);
  });
});

describe("replacements that never become healthy", () => {
  it("fail the refresh after an hour instead of replacing forever", async () => {
    const { world, clients } = refreshWorld({ app: { versions: { "2": { healthy: false } } }, fleet: { healthCheckGracePeriodSeconds: 300 } });
    await startRefresh(world, clients, { MinHealthyPercentage: 75 });
    const trace = runRefresh(world);
    const refresh = latestRefresh(world);
    expect(refresh.status).toBe("Failed");
    expect(refresh.statusReason).toContain("did not become healthy within 1 hour");
    expect(trace.seconds).toBeGreaterThanOrEqual(3600);
    expect(trace.seconds).toBeLessThan(3600 + 120);
    expect(world.stats.instancesLaunched).toBeLessThan(20);
    expect(refreshEvents(world).map((event) => event.type)).toEqual(["Started", "Failed"]);
  });
});

describe("CancelInstanceRefresh", () => {
  it("is Cancelling until the round in flight is done, then Cancelled, with its event", async () => {
    const { world, clients } = refreshWorld();
    const id = await startRefresh(world, clients, { MinHealthyPercentage: 50 });
    world.advance(2);
    const cancelled = await clients.autoScaling.send(new CancelInstanceRefreshCommand({ AutoScalingGroupName: groupName(world) }));
    expect(cancelled.InstanceRefreshId).toBe(id);
    expect(latestRefresh(world).status).toBe("Cancelling");
    const again = await rejection(clients.autoScaling.send(new CancelInstanceRefreshCommand({ AutoScalingGroupName: groupName(world) })));
    expect(again.name).toBe("ActiveInstanceRefreshNotFoundFault");
    runRefresh(world);
    expect(latestRefresh(world)).toMatchObject({ status: "Cancelled", endTimeMs: expect.any(Number) });
    expect(versionsInService(world)).toEqual(["1", "1", "2", "2"]);
    expect(refreshEvents(world).map((event) => event.type)).toEqual(["Started", "Cancelled"]);
  });

  it("WaitForTransitioningInstances false cancels at once", async () => {
    const { world, clients } = refreshWorld();
    await startRefresh(world, clients, { MinHealthyPercentage: 50 });
    world.advance(2);
    await clients.autoScaling.send(new CancelInstanceRefreshCommand({ AutoScalingGroupName: groupName(world), WaitForTransitioningInstances: false }));
    expect(latestRefresh(world).status).toBe("Cancelled");
  });
});

describe("events (Instance refresh example events and patterns)", () => {
  it("Started and Succeeded carry the refresh id and group, with the group's ARN as resource", async () => {
    const { world, clients } = refreshWorld();
    const id = await startRefresh(world, clients, { MinHealthyPercentage: 50 });
    runRefresh(world);
    const events = world.events.published().filter((event) => event["detail-type"].startsWith("EC2 Auto Scaling Instance Refresh"));
    expect(events.map((event) => event["detail-type"])).toEqual(["EC2 Auto Scaling Instance Refresh Started", "EC2 Auto Scaling Instance Refresh Succeeded"]);
    for (const event of events) {
      expect(event).toMatchObject({
        source: "aws.autoscaling",
        resources: [world.autoscaling.group(groupName(world))?.autoScalingGroupArn],
        detail: { InstanceRefreshId: id, AutoScalingGroupName: groupName(world) },
      });
    }
  });
});
