import {
  DescribeInstanceRefreshesCommand,
  EnterStandbyCommand,
  ExitStandbyCommand,
  RollbackInstanceRefreshCommand,
  SetInstanceProtectionCommand,
  type RefreshPreferences,
} from "@aws-sdk/client-auto-scaling";
import { PutMetricAlarmCommand, SetAlarmStateCommand } from "@aws-sdk/client-cloudwatch";
import { describe, expect, it } from "vitest";
import type { World } from "../../../sim/world.ts";
import type { AwsClients } from "../../../sim/aws-clients.ts";
import { groupName, instanceAt } from "../../support/fleet.ts";
import { rejection } from "../../support/protocol.ts";
import { latestRefresh, refreshEvents, refreshWorld, runRefresh, startRefresh, versionsInService } from "../../support/refresh.ts";

/*
 * AWS pages followed here:
 * - RefreshPreferences (API reference): https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_RefreshPreferences.html
 *   ScaleInProtectedInstances: "Refresh ... replaces instances that are protected from scale in. Ignore ... ignores
 *   instances that are protected from scale in and continues to replace instances that are not protected. Wait (default)
 *   ... waits one hour for you to remove scale-in protection. Otherwise, the instance refresh will fail."
 *   StandbyInstances: "Terminate ... terminates instances that are in Standby. Ignore ... ignores instances that are in
 *   Standby ... Wait (default) ... waits one hour for you to return the instances to service. Otherwise, the instance
 *   refresh will fail." AutoRollback: "roll back the Auto Scaling group to its previous configuration if the instance
 *   refresh fails or a CloudWatch alarm threshold is met."
 * - Use an instance refresh with skip matching: https://docs.aws.amazon.com/autoscaling/ec2/userguide/asg-instance-refresh-skip-matching.html
 * - Undo changes with a rollback: https://docs.aws.amazon.com/autoscaling/ec2/userguide/instance-refresh-rollback.html
 * - RollbackInstanceRefresh: https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_RollbackInstanceRefresh.html
 */

const protect = (world: World, clients: AwsClients, launchIndex: number, ProtectedFromScaleIn: boolean) =>
  clients.autoScaling.send(new SetInstanceProtectionCommand({ AutoScalingGroupName: groupName(world), InstanceIds: [instanceAt(world, launchIndex).instanceId], ProtectedFromScaleIn }));

const standby = async (world: World, clients: AwsClients, launchIndex: number) => {
  await clients.autoScaling.send(new EnterStandbyCommand({ AutoScalingGroupName: groupName(world), InstanceIds: [instanceAt(world, launchIndex).instanceId], ShouldDecrementDesiredCapacity: true }));
  world.advance(5);
  expect(instanceAt(world, launchIndex).lifecycleState).toBe("Standby");
};

describe("instances protected from scale in", () => {
  const cases: [RefreshPreferences["ScaleInProtectedInstances"], string, string[]][] = [
    [undefined, "Failed", ["1", "2", "2", "2"]],
    ["Wait", "Failed", ["1", "2", "2", "2"]],
    ["Ignore", "Successful", ["1", "2", "2", "2"]],
    ["Refresh", "Successful", ["2", "2", "2", "2"]],
  ];
  it.each(cases)("ScaleInProtectedInstances %s ends %s", async (behaviour, status, versions) => {
    const { world, clients } = refreshWorld();
    await protect(world, clients, 0, true);
    await startRefresh(world, clients, { MinHealthyPercentage: 75, ...(behaviour === undefined ? {} : { ScaleInProtectedInstances: behaviour }) });
    const trace = runRefresh(world);
    expect(latestRefresh(world).status).toBe(status);
    expect(versionsInService(world)).toEqual(versions);
    if (status === "Failed") {
      expect(trace.seconds).toBeGreaterThanOrEqual(3600);
      expect(latestRefresh(world).statusReason).toContain(instanceAt(world, 0).instanceId);
    }
  });

  it("Wait goes on once the protection is removed within the hour", async () => {
    const { world, clients } = refreshWorld();
    await protect(world, clients, 0, true);
    await startRefresh(world, clients, { MinHealthyPercentage: 75 });
    world.advance(1800);
    expect(latestRefresh(world).status).toBe("InProgress");
    await protect(world, clients, 0, false);
    runRefresh(world);
    expect(latestRefresh(world).status).toBe("Successful");
    expect(versionsInService(world)).toEqual(["2", "2", "2", "2"]);
  });
});

describe("instances in Standby", () => {
  const cases: [RefreshPreferences["StandbyInstances"], string, string][] = [
    [undefined, "Failed", "Standby"],
    ["Ignore", "Successful", "Standby"],
    ["Terminate", "Successful", "Terminated"],
  ];
  it.each(cases)("StandbyInstances %s ends %s, the standby instance %s", async (behaviour, status, standbyState) => {
    const { world, clients } = refreshWorld();
    await standby(world, clients, 0);
    await startRefresh(world, clients, { MinHealthyPercentage: 75, ...(behaviour === undefined ? {} : { StandbyInstances: behaviour }) });
    runRefresh(world);
    world.advance(30);
    expect(latestRefresh(world).status).toBe(status);
    expect(instanceAt(world, 0).lifecycleState).toBe(standbyState);
    expect(versionsInService(world)).toEqual(["2", "2", "2"]);
  });

  it("Wait replaces a standby instance once it is back in service", async () => {
    const { world, clients } = refreshWorld();
    await standby(world, clients, 0);
    await startRefresh(world, clients, { MinHealthyPercentage: 75 });
    world.advance(1200);
    await clients.autoScaling.send(new ExitStandbyCommand({ AutoScalingGroupName: groupName(world), InstanceIds: [instanceAt(world, 0).instanceId] }));
    runRefresh(world);
    expect(latestRefresh(world).status).toBe("Successful");
    expect(versionsInService(world)).toEqual(["2", "2", "2", "2"]);
  });
});

describe("skip matching", () => {
  it("replaces only the instances not on the desired configuration", async () => {
    const { world, clients } = refreshWorld();
    await startRefresh(world, clients, { MinHealthyPercentage: 75, CheckpointPercentages: [50] });
    runRefresh(world);
    expect(versionsInService(world)).toEqual(["1", "1", "2", "2"]);
    const launched = world.stats.instancesLaunched;
    await startRefresh(world, clients, { MinHealthyPercentage: 75, SkipMatching: true });
    expect(latestRefresh(world).total).toBe(2);
    runRefresh(world);
    expect(world.stats.instancesLaunched - launched).toBe(2);
    expect(versionsInService(world)).toEqual(["2", "2", "2", "2"]);
  });
});

describe("rollback", () => {
  it("AutoRollback on the one-hour failure puts the previous configuration back", async () => {
    const { world, clients } = refreshWorld({ app: { versions: { "2": { healthy: false } } } });
    await startRefresh(world, clients, { MinHealthyPercentage: 75, AutoRollback: true });
    runRefresh(world);
    expect(latestRefresh(world).status).toBe("RollbackSuccessful");
    expect(versionsInService(world)).toEqual(["1", "1", "1", "1"]);
    expect(world.autoscaling.group(groupName(world))?.launchTemplate.version).toBe("1");
    expect(refreshEvents(world).map((event) => event.type)).toEqual(["Started", "Rollback Started", "Rollback Succeeded"]);
    const described = await clients.autoScaling.send(new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: groupName(world) }));
    expect(described.InstanceRefreshes?.[0]?.RollbackDetails?.RollbackReason).toContain("did not become healthy within 1 hour");
  });

  const alarmCases: [boolean, string, string[]][] = [
    [false, "Failed", ["Started", "Failed"]],
    [true, "RollbackSuccessful", ["Started", "Rollback Started", "Rollback Succeeded"]],
  ];
  it.each(alarmCases)("an alarm in ALARM with AutoRollback %s ends %s", async (autoRollback, status, events) => {
    const { world, clients } = refreshWorld();
    await clients.cloudWatch.send(
      new PutMetricAlarmCommand({
        AlarmName: "ebb-5xx",
        Namespace: "AWS/ApplicationELB",
        MetricName: "HTTPCode_Target_5XX_Count",
        Statistic: "Sum",
        Period: 300,
        EvaluationPeriods: 1,
        Threshold: 10,
        ComparisonOperator: "GreaterThanThreshold",
        TreatMissingData: "notBreaching",
      }),
    );
    await startRefresh(world, clients, { MinHealthyPercentage: 75, AutoRollback: autoRollback, AlarmSpecification: { Alarms: ["ebb-5xx"] } });
    world.advance(120);
    await clients.cloudWatch.send(new SetAlarmStateCommand({ AlarmName: "ebb-5xx", StateValue: "ALARM", StateReason: "test" }));
    runRefresh(world);
    expect(latestRefresh(world).status).toBe(status);
    expect(refreshEvents(world).map((event) => event.type)).toEqual(events);
    if (autoRollback) expect(versionsInService(world)).toEqual(["1", "1", "1", "1"]);
    else expect(latestRefresh(world).statusReason).toContain("ebb-5xx");
  });

  it("RollbackInstanceRefresh rolls back by hand, and refuses a refresh without a desired configuration", async () => {
    const { world, clients } = refreshWorld();
    await startRefresh(world, clients, { MinHealthyPercentage: 50 });
    world.advance(120);
    await clients.autoScaling.send(new RollbackInstanceRefreshCommand({ AutoScalingGroupName: groupName(world) }));
    runRefresh(world);
    expect(latestRefresh(world).status).toBe("RollbackSuccessful");
    expect(versionsInService(world)).toEqual(["1", "1", "1", "1"]);

    await startRefresh(world, clients, { MinHealthyPercentage: 50 }, false);
    const refused = await rejection(clients.autoScaling.send(new RollbackInstanceRefreshCommand({ AutoScalingGroupName: groupName(world) })));
    expect(refused.name).toBe("IrreversibleInstanceRefreshFault");
  });
});
