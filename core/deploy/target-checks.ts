import type { AutoScalingGroup } from "@aws-sdk/client-auto-scaling";
import { latestConnections } from "../connections.ts";
import { delayProblems } from "../deregistration-delay.ts";
import type { Runtime } from "../runtime.ts";
import { shedSeconds } from "../timing.ts";
import { describeTargetGroupSettings, targetGroupArnsFor } from "../targets.ts";
import type { DeployInput } from "../types.ts";

/**
 * What validation checks of the group's target groups (read-only): there is at least one (health
 * verified over none would pass vacuously), and, unless the stage raises it, each deregistration
 * delay covers the drain.
 */
export async function targetGroupProblems(rt: Runtime, group: AutoScalingGroup, input: DeployInput): Promise<string[]> {
  const arns = targetGroupArnsFor({ targetGroupArns: group.TargetGroupARNs ?? [] }, rt.stage);
  if (arns.length === 0) {
    const where = rt.stage.targetRegistration === "ebb" ? "and the stage's targetGroupArns is empty" : "(targetRegistration asg)";
    return [`autoScalingGroupName: "${input.autoScalingGroupName}" has no target group ${where}: Ebb verifies new instances in their target groups and would verify nothing`];
  }
  if (rt.stage.raiseDeregistrationDelay) return [];
  const settings = await describeTargetGroupSettings(rt.clients.elbv2, arns);
  const inService = (group.Instances ?? []).filter((instance) => instance.LifecycleState === "InService").flatMap((instance) => (instance.InstanceId === undefined ? [] : [instance.InstanceId]));
  const connections = await latestConnections(rt.clients.cloudWatch, rt.stage.connectionMetric, inService, rt.clock.now());
  const busiest = Math.max(0, ...Object.values(connections));
  const seconds =
    input.drain.signal === "ssm" ? shedSeconds(busiest, rt.stage.estimates.shedRatePerSecond, input.drain.maxRemainingConnections) : input.drain.timeoutSeconds;
  return delayProblems(settings, input.drain, rt.stage, { seconds: Math.min(seconds, input.drain.timeoutSeconds), connections: busiest });
}
