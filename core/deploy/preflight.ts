import { describeAlarmStates } from "../alarms.ts";
import { DeployPlanInfeasible } from "../errors.ts";
import { describeGroup, findGroup, launchTemplateRefOf, unsupportedReason } from "../fleet.ts";
import { resolveTargetVersion } from "../launch-template.ts";
import { planDeploy } from "../planner.ts";
import type { Runtime } from "../runtime.ts";
import { describeTargetGroupSettings, targetGroupArnsFor } from "../targets.ts";
import type { DeployInput } from "../types.ts";
import { timingFor } from "./context.ts";
import { targetGroupProblems } from "./target-checks.ts";

/**
 * What the first state checks against the account, read-only: the group exists and Ebb can roll
 * it, the target version exists, the rollback alarms exist and are not firing, and the group as
 * it is now admits a plan that keeps minHealthyPercent, its target groups exist and their
 * deregistration delays cover the drain. Returns every problem found.
 */
export async function checkDeployTarget(rt: Runtime, input: DeployInput): Promise<{ problems: string[]; targetVersion: string }> {
  const problems: string[] = [];
  let targetVersion = input.launchTemplateVersion;
  const group = await findGroup(rt.clients.autoScaling, input.autoScalingGroupName);
  const reason = group === undefined ? undefined : unsupportedReason(group);
  if (group === undefined) problems.push(`autoScalingGroupName: Auto Scaling group "${input.autoScalingGroupName}" does not exist`);
  if (reason !== undefined) problems.push(`autoScalingGroupName: cannot deploy "${input.autoScalingGroupName}": ${reason}`);
  let versionFound = false;
  if (group?.LaunchTemplate !== undefined && reason === undefined) {
    const target = await resolveTargetVersion(rt.clients.ec2, launchTemplateRefOf(group.LaunchTemplate), input);
    if ("problem" in target) problems.push(target.problem);
    else {
      targetVersion = target.version;
      versionFound = true;
    }
  }
  if (group !== undefined && reason === undefined) problems.push(...(await targetGroupProblems(rt, group, input)));
  const alarms = new Map((await describeAlarmStates(rt.clients.cloudWatch, input.rollbackAlarms)).map((alarm) => [alarm.name, alarm.state]));
  for (const [index, name] of input.rollbackAlarms.entries()) {
    const state = alarms.get(name);
    if (state === undefined) problems.push(`rollbackAlarms.${index}: alarm "${name}" does not exist`);
    if (state === "ALARM") problems.push(`rollbackAlarms.${index}: alarm "${name}" is in ALARM already; the deploy would roll back at once`);
  }
  if (versionFound) {
    const problem = await infeasibility(rt, input, targetVersion);
    if (problem !== undefined) problems.push(problem);
  }
  return { problems, targetVersion };
}

/** The planner's own verdict on the group as it is now (PlanDeploy re-plans from the snapshot). */
async function infeasibility(rt: Runtime, input: DeployInput, targetVersion: string): Promise<string | undefined> {
  const view = await describeGroup(rt.clients.autoScaling, input.autoScalingGroupName);
  const targetGroups = await describeTargetGroupSettings(rt.clients.elbv2, targetGroupArnsFor(view, rt.stage));
  try {
    planDeploy({
      instances: view.instances,
      desiredCapacity: view.desiredCapacity,
      targetVersion,
      batchSize: input.batchSize,
      mode: input.mode,
      minHealthyPercent: input.minHealthyPercent,
      connections: {},
      timing: timingFor(targetGroups, input, rt.stage),
    });
    return undefined;
  } catch (error) {
    if (error instanceof DeployPlanInfeasible) return `minHealthyPercent: ${error.message}`;
    throw error;
  }
}
