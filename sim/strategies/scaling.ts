import { PutScalingPolicyCommand } from "@aws-sdk/client-auto-scaling";
import { PutMetricAlarmCommand } from "@aws-sdk/client-cloudwatch";
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
 * its own, by Ebb's connection metric and target tracking or by seeds/000's CPU policy (Ebb's
 * schedules, the fleet metrics publisher among them, run every minute either way; only the
 * target tracking policy reads its metrics). Ebb is installed for both, so its lifecycle
 * hooks answer every launch and scale in the same way and only the scaling policy differs. Time
 * moves on the executions' timeline, so the hook workflows' Waits run as the fleet does.
 */
export async function runTraffic(context: StrategyContext, strategy: "ebb" | "cpu-policy"): Promise<RunResult> {
  const { world } = context;
  const run = world.config.run;
  if (run.kind !== "traffic") throw new Error("traffic strategies run traffic scenarios");
  const ebb = await installLocalEbb(world);
  try {
    const clients = createAwsClients(world);
    if (strategy === "cpu-policy") await installCpuPolicy(world, clients);
    else await installConnectionTracking(ebb, clients);
    const phase = strategy === "ebb" ? "target tracking on connections" : "CPU simple scaling";
    context.report(phase);
    const { stepFunctions } = ebb;
    const timeline = stepFunctions.timeline;
    const watcher = timeline.join();
    const endMs = world.clock.nowMs + run.durationSeconds * 1000;
    try {
      while (world.clock.nowMs < endMs) {
        await timeline.sleep(watcher, 1);
        if (world.clock.nowMs % MINUTE_MS === 0) context.report(phase);
      }
      // Let the last scale in's hook workflows finish before the world settles.
      const deadlineMs = world.clock.nowMs + run.maxVirtualSeconds * 1000;
      const running = (): number => stepFunctions.executions().filter((execution) => execution.summary().status === "RUNNING").length;
      while (world.clock.nowMs < deadlineMs && running() > 0) await timeline.sleep(watcher, 1);
    } finally {
      timeline.leave(watcher);
    }
    await context.settle(noLock, ebb.advanceTo);
    const failed = stepFunctions.executions().map((execution) => execution.summary()).filter((summary) => summary.status !== "SUCCEEDED");
    return {
      outcome: failed.length === 0 ? "Succeeded" : "Failed",
      cause: failed.length === 0 ? undefined : `${failed.length} hook workflow(s) did not succeed; first: ${failed[0]?.name} ${failed[0]?.status}`,
      output: undefined,
      bakeSeconds: 0,
      stepFunctions: { ...noExecutions, executions: stepFunctions.executions().length },
    };
  } finally {
    await ebb.stop();
  }
}
