import { PutScalingPolicyCommand, type PutScalingPolicyCommandInput } from "@aws-sdk/client-auto-scaling";
import { PutMetricAlarmCommand, PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { describe, expect, it } from "vitest";
import { createAwsClients } from "../../../sim/aws-clients.ts";
import type { World } from "../../../sim/world.ts";
import { groupName, makeWorld } from "../../support/fleet.ts";

/**
 * Step and simple scaling as "Step and simple scaling policies for Amazon EC2 Auto Scaling"
 * (https://docs.aws.amazon.com/autoscaling/ec2/userguide/as-scaling-simple-step.html) and
 * "Scaling cooldowns for Amazon EC2 Auto Scaling"
 * (https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-scaling-cooldowns.html)
 * describe them, configured the way seeds/000's Terraform does (+1 above 70% for 2 × 120 s, cooldown 300 s).
 */
const METRIC = { Namespace: "Test/App", MetricName: "Load" };

const fleet = () => {
  const world = makeWorld({ fleet: { desiredCapacity: 3, maxSize: 20 }, clients: { sessions: 0 }, cloudwatch: { ingestionDelaySeconds: 0 } });
  world.advance(1);
  return { world, clients: createAwsClients(world) };
};
type Clients = ReturnType<typeof createAwsClients>;

const policy = async (world: World, clients: Clients, input: Omit<PutScalingPolicyCommandInput, "AutoScalingGroupName">, alarm: { period: number; periods: number; threshold: number }) => {
  const { PolicyARN } = await clients.autoScaling.send(new PutScalingPolicyCommand({ AutoScalingGroupName: groupName(world), ...input }));
  await clients.cloudWatch.send(
    new PutMetricAlarmCommand({
      AlarmName: `${input.PolicyName}-alarm`,
      ...METRIC,
      Dimensions: [{ Name: "AutoScalingGroupName", Value: groupName(world) }],
      Statistic: "Average",
      Period: alarm.period,
      EvaluationPeriods: alarm.periods,
      Threshold: alarm.threshold,
      ComparisonOperator: "GreaterThanThreshold",
      AlarmActions: [PolicyARN ?? ""],
    }),
  );
};

const publishMinutes = async (world: World, clients: Clients, value: number, minutes: number): Promise<void> => {
  for (let minute = 0; minute < minutes; minute++) {
    const stamp = new Date(Math.floor(world.clock.nowMs / 60_000) * 60_000);
    await clients.cloudWatch.send(
      new PutMetricDataCommand({ Namespace: METRIC.Namespace, MetricData: [{ MetricName: METRIC.MetricName, Dimensions: [{ Name: "AutoScalingGroupName", Value: groupName(world) }], Timestamp: stamp, Value: value }] }),
    );
    world.advance(60);
  }
};

const desired = (world: World): number => world.autoscaling.group(groupName(world))?.desiredCapacity ?? -1;

describe("simple scaling", () => {
  it("adds one instance after two 120 s periods above 70%, then waits for the activity and the 300 s cooldown", async () => {
    const { world, clients } = fleet();
    await policy(world, clients, { PolicyName: "scale-up", PolicyType: "SimpleScaling", AdjustmentType: "ChangeInCapacity", ScalingAdjustment: 1, Cooldown: 300 }, { period: 120, periods: 2, threshold: 70 });
    await publishMinutes(world, clients, 90, 2);
    expect(desired(world)).toBe(3);
    await publishMinutes(world, clients, 90, 1);
    expect(desired(world)).toBe(4);
    // The alarm stays in ALARM and invokes the policy every minute; the cooldown runs from the launch's end (~5 s later).
    await publishMinutes(world, clients, 90, 5);
    expect(desired(world)).toBe(4);
    await publishMinutes(world, clients, 90, 1);
    expect(desired(world)).toBe(5);
  });
});

describe("step scaling", () => {
  it("adjusts by the step the breach falls in, and counts the last step's warming instances as added", async () => {
    const { world, clients } = fleet();
    await policy(
      world,
      clients,
      {
        PolicyName: "steps",
        PolicyType: "StepScaling",
        AdjustmentType: "ChangeInCapacity",
        EstimatedInstanceWarmup: 600,
        StepAdjustments: [
          { MetricIntervalLowerBound: 0, MetricIntervalUpperBound: 20, ScalingAdjustment: 1 },
          { MetricIntervalLowerBound: 20, ScalingAdjustment: 3 },
        ],
      },
      { period: 60, periods: 1, threshold: 50 },
    );
    await publishMinutes(world, clients, 60, 1);
    expect(desired(world)).toBe(4);
    await publishMinutes(world, clients, 60, 2);
    expect(desired(world)).toBe(4);
    await publishMinutes(world, clients, 80, 1);
    expect(desired(world)).toBe(6);
  });

  it("rounds percent changes as AWS does: toward zero, at least one", async () => {
    const { adjustedCapacity } = await import("../../../emulator/autoscaling/scaling/policy-execution.ts");
    expect(adjustedCapacity("PercentChangeInCapacity", 3, 10)).toBe(4);
    expect(adjustedCapacity("PercentChangeInCapacity", 30, 25)).toBe(37);
    expect(adjustedCapacity("PercentChangeInCapacity", 30, -25)).toBe(23);
    expect(adjustedCapacity("PercentChangeInCapacity", 10, 10, 2)).toBe(12);
    expect(adjustedCapacity("ExactCapacity", 10, 4)).toBe(4);
  });
});
