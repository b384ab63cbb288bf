import { PutScalingPolicyCommand, ResumeProcessesCommand, SuspendProcessesCommand } from "@aws-sdk/client-auto-scaling";
import { DescribeAlarmsCommand, PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { describe, expect, it } from "vitest";
import { createAwsClients } from "../../../sim/aws-clients.ts";
import type { World } from "../../../sim/world.ts";
import { groupName, makeWorld } from "../../support/fleet.ts";

/**
 * Target tracking as the EC2 Auto Scaling user guide describes it ("Target tracking scaling
 * policies for Amazon EC2 Auto Scaling", https://docs.aws.amazon.com/autoscaling/ec2/userguide/as-scaling-target-tracking.html;
 * "Set the default instance warmup for an Auto Scaling group",
 * https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-default-instance-warmup.html;
 * "Suspend and resume Amazon EC2 Auto Scaling processes"), its alarms invoked every minute while in
 * ALARM ("Alarm actions", https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-actions.html).
 */
const TARGET = 1000;
const METRIC = { Namespace: "Ebb", MetricName: "ConnectionsPerHealthyInstance" };

const fleet = (): { world: World; clients: ReturnType<typeof createAwsClients> } => {
  const world = makeWorld({ fleet: { desiredCapacity: 3, maxSize: 20 }, clients: { sessions: 0 }, cloudwatch: { ingestionDelaySeconds: 0 } });
  // One second past a minute boundary: each publish lands in the minute that is evaluated at the next boundary.
  world.advance(1);
  return { world, clients: createAwsClients(world) };
};

const putPolicy = (world: World, clients: ReturnType<typeof createAwsClients>, extra: { DisableScaleIn?: boolean; EstimatedInstanceWarmup?: number } = {}) =>
  clients.autoScaling.send(
    new PutScalingPolicyCommand({
      AutoScalingGroupName: groupName(world),
      PolicyName: "connections",
      PolicyType: "TargetTrackingScaling",
      EstimatedInstanceWarmup: extra.EstimatedInstanceWarmup ?? 0,
      TargetTrackingConfiguration: {
        TargetValue: TARGET,
        DisableScaleIn: extra.DisableScaleIn ?? false,
        CustomizedMetricSpecification: { ...METRIC, Dimensions: [{ Name: "AutoScalingGroupName", Value: groupName(world) }], Statistic: "Average" },
      },
    }),
  );

/** Puts one datapoint stamped with the current minute, then lets that minute end and be evaluated. */
const publishMinutes = async (world: World, clients: ReturnType<typeof createAwsClients>, value: number, minutes: number): Promise<void> => {
  for (let minute = 0; minute < minutes; minute++) {
    const stamp = new Date(Math.floor(world.clock.nowMs / 60_000) * 60_000);
    await clients.cloudWatch.send(
      new PutMetricDataCommand({
        Namespace: METRIC.Namespace,
        MetricData: [{ MetricName: METRIC.MetricName, Dimensions: [{ Name: "AutoScalingGroupName", Value: groupName(world) }], Timestamp: stamp, Value: value }],
      }),
    );
    world.advance(60);
  }
};

const desired = (world: World): number => world.autoscaling.group(groupName(world))?.desiredCapacity ?? -1;

describe("target tracking scaling", () => {
  it("creates the managed alarms AWS creates, visible through DescribeAlarms: 3 of 3 above the target, 15 of 15 below 90% of it", async () => {
    const { world, clients } = fleet();
    const response = await putPolicy(world, clients);
    const names = (response.Alarms ?? []).map((alarm) => alarm.AlarmName ?? "");
    expect(names).toHaveLength(2);
    expect(names[0]).toMatch(/^TargetTracking-ebb-demo-asg-AlarmHigh-[0-9a-f-]{36}$/);
    expect(names[1]).toMatch(/^TargetTracking-ebb-demo-asg-AlarmLow-[0-9a-f-]{36}$/);
    const { MetricAlarms = [] } = await clients.cloudWatch.send(new DescribeAlarmsCommand({ AlarmNamePrefix: "TargetTracking-" }));
    const byKind = (kind: string) => MetricAlarms.find((alarm) => alarm.AlarmName?.includes(kind));
    expect(byKind("AlarmHigh")).toMatchObject({ ...METRIC, Period: 60, EvaluationPeriods: 3, DatapointsToAlarm: 3, Threshold: TARGET, ComparisonOperator: "GreaterThanThreshold", AlarmActions: [response.PolicyARN] });
    expect(byKind("AlarmLow")).toMatchObject({ Period: 60, EvaluationPeriods: 15, DatapointsToAlarm: 15, Threshold: 900, ComparisonOperator: "LessThanThreshold", TreatMissingData: "missing" });
    // Putting the policy again updates the same alarms; with scale in disabled the low one goes.
    const again = await putPolicy(world, clients, { DisableScaleIn: true });
    expect((again.Alarms ?? []).map((alarm) => alarm.AlarmName)).toEqual([names[0]]);
    const after = await clients.cloudWatch.send(new DescribeAlarmsCommand({ AlarmNamePrefix: "TargetTracking-" }));
    expect(after.MetricAlarms?.map((alarm) => alarm.AlarmName)).toEqual([names[0]]);
  });

  it("scales out on the third consecutive minute above the target, in proportion to the metric", async () => {
    const { world, clients } = fleet();
    await putPolicy(world, clients);
    await publishMinutes(world, clients, 2 * TARGET, 2);
    expect(desired(world)).toBe(3);
    await publishMinutes(world, clients, 2 * TARGET, 1);
    // 3 instances at twice the target need 6.
    expect(desired(world)).toBe(6);
  });

  it("scales in only on the fifteenth consecutive minute below 90% of the target, rounding up", async () => {
    const { world, clients } = fleet();
    await putPolicy(world, clients);
    await publishMinutes(world, clients, 0.95 * TARGET, 20);
    expect(desired(world)).toBe(3);
    await publishMinutes(world, clients, 0.5 * TARGET, 14);
    expect(desired(world)).toBe(3);
    await publishMinutes(world, clients, 0.5 * TARGET, 1);
    // ceil(3 × 0.5) = 2: never less capacity than the metric asks for.
    expect(desired(world)).toBe(2);
  });

  it("never scales in with scale in disabled, nor on missing data", async () => {
    const disabled = fleet();
    await putPolicy(disabled.world, disabled.clients, { DisableScaleIn: true });
    await publishMinutes(disabled.world, disabled.clients, 0.1 * TARGET, 20);
    expect(desired(disabled.world)).toBe(3);

    const silent = fleet();
    const { Alarms = [] } = await putPolicy(silent.world, silent.clients);
    silent.world.advance(20 * 60);
    expect(desired(silent.world)).toBe(3);
    expect(silent.world.cloudwatch.alarm(Alarms[1]?.AlarmName ?? "")?.StateValue).toBe("INSUFFICIENT_DATA");
  });

  it("counts warming instances as capacity already added: the same breach adds nothing more, a bigger one only the difference", async () => {
    const { world, clients } = fleet();
    await putPolicy(world, clients, { EstimatedInstanceWarmup: 600 });
    await publishMinutes(world, clients, 2 * TARGET, 3);
    expect(desired(world)).toBe(6);
    // Still in ALARM and invoked every minute, at the same value: the 3 new instances are warming up.
    await publishMinutes(world, clients, 2 * TARGET, 3);
    expect(desired(world)).toBe(6);
    await publishMinutes(world, clients, 3 * TARGET, 1);
    expect(desired(world)).toBe(9);
  });

  it("does nothing while AlarmNotification is suspended, and scales at the next minute once it is resumed", async () => {
    const { world, clients } = fleet();
    await putPolicy(world, clients);
    await clients.autoScaling.send(new SuspendProcessesCommand({ AutoScalingGroupName: groupName(world), ScalingProcesses: ["AlarmNotification"] }));
    await publishMinutes(world, clients, 2 * TARGET, 5);
    expect(desired(world)).toBe(3);
    await clients.autoScaling.send(new ResumeProcessesCommand({ AutoScalingGroupName: groupName(world), ScalingProcesses: ["AlarmNotification"] }));
    await publishMinutes(world, clients, 2 * TARGET, 1);
    expect(desired(world)).toBe(6);
  });
});
