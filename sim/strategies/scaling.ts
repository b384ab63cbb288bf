import { PutScalingPolicyCommand } from "@aws-sdk/client-auto-scaling";
import { PutMetricAlarmCommand } from "@aws-sdk/client-cloudwatch";
import { FLEET_METRICS_PUBLISHER } from "../../infra/plan.ts";
import { connectionTrackingPolicy, skewAlarm } from "../../infra/scaling.ts";
import { createAwsClients, type AwsClients } from "../aws-clients.ts";
import { installLocalEbb, type LocalEbb } from "../local/ebb.ts";
import type { RunResult } from "../report/report.ts";
import type { World } from "../world.ts";
import { noExecutions, noLock, type StrategyContext } from "./types.ts";

const MINUTE_MS = 60_000;

/**
 * seeds/000's autoscaling.tf: two simple scaling policies (+1 / −1, cooldown 300 s) and the CPU
 * alarms that invoke them (Average CPUUtilization of the group over 2 × 120 s, above 70% / below 30%).
 */
async function installCpuPolicy(world: World, clients: AwsClients): Promise<void> {
  const group = world.config.fleet.autoScalingGroupName;
  for (const [name, adjustment, threshold, comparison] of [
    ["chatpulse-scale-up", 1, 70, "GreaterThanThreshold"],
    ["chatpulse-scale-down", -1, 30, "LessThanThreshold"],
  ] as const) {
    const { PolicyARN } = await clients.autoScaling.send(
      new PutScalingPolicyCommand({ AutoScalingGroupName: group, PolicyName: name, AdjustmentType: "ChangeInCapacity", ScalingAdjustment: adjustment, Cooldown: 300 }),
    );
    await clients.cloudWatch.send(
      new PutMetricAlarmCommand({
        AlarmName: name.replace("scale-up", "cpu-high").replace("scale-down", "cpu-low"),
        ComparisonOperator: comparison,
        EvaluationPeriods: 2,
        MetricName: "CPUUtilization",
        Namespace: "AWS/EC2",
        Period: 120,
        Statistic: "Average",
        Threshold: threshold,
        AlarmActions: [PolicyARN ?? ""],
        Dimensions: [{ Name: "AutoScalingGroupName", Value: group }],
      }),
    );
  }
}

/** What infra/ deploys for the stage's groups: the target tracking policy and the skew alarm. */
async function installConnectionTracking(ebb: LocalEbb, clients: AwsClients): Promise<void> {
  for (const group of ebb.stage.autoScalingGroups) {
    const policy = connectionTrackingPolicy(ebb.stage, group);
    await clients.autoScaling.send(
      new PutScalingPolicyCommand({
        ...policy,
        TargetTrackingConfiguration: {
          ...policy.TargetTrackingConfiguration,
          CustomizedMetricSpecification: { ...policy.TargetTrackingConfiguration.CustomizedMetricSpecification, Dimensions: [...policy.TargetTrackingConfiguration.CustomizedMetricSpecification.Dimensions] },
        },
      }),
    );
    const alarm = skewAlarm(ebb.stage, group);
    await clients.cloudWatch.send(new PutMetricAlarmCommand({ ...alarm, Dimensions: [...alarm.Dimensions] }));
  }
}

/**
 * A traffic run: the clients follow their ramps for run.durationSeconds while the group scales on
 * its own, by Ebb's connection metric and target tracking (the publisher invoked every minute, as
 * its schedule does) or by seeds/000's CPU policy. Events are delivered every second, so any of
 * Ebb's lifecycle-hook handlers installed with it act on scale in as they would on AWS.
 */
export async function runTraffic(context: StrategyContext, strategy: "ebb" | "cpu-policy"): Promise<RunResult> {
  const { world } = context;
  const run = world.config.run;
  if (run.kind !== "traffic") throw new Error("traffic strategies run traffic scenarios");
  const ebb = strategy === "ebb" ? await installLocalEbb(world) : undefined;
  try {
    const clients = createAwsClients(world);
    if (ebb === undefined) await installCpuPolicy(world, clients);
    else await installConnectionTracking(ebb, clients);
    context.report(strategy === "ebb" ? "target tracking on connections" : "CPU simple scaling");
    const endMs = world.clock.nowMs + run.durationSeconds * 1000;
    let nextPublishMs = Math.floor(world.clock.nowMs / MINUTE_MS) * MINUTE_MS + MINUTE_MS;
    while (world.clock.nowMs < endMs) {
      world.advanceTo(Math.min(endMs, Math.floor(world.clock.nowMs / 1000) * 1000 + 1000));
      await world.events.flush();
      if (ebb !== undefined && world.clock.nowMs >= nextPublishMs) {
        nextPublishMs += MINUTE_MS;
        await ebb.invoke(FLEET_METRICS_PUBLISHER, {});
      }
      if (world.clock.nowMs % MINUTE_MS === 0) context.report(strategy === "ebb" ? "target tracking on connections" : "CPU simple scaling");
    }
    await context.settle(noLock);
    return { outcome: "Succeeded", cause: undefined, output: undefined, bakeSeconds: 0, stepFunctions: noExecutions };
  } finally {
    await ebb?.stop();
  }
}
