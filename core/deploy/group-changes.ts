import { ResumeProcessesCommand, SetInstanceHealthCommand, SuspendProcessesCommand } from "@aws-sdk/client-auto-scaling";
import { audit, getDeploy, updateDeploy } from "../deploy-store.ts";
import { plannedDelayChanges, setDeregistrationDelay } from "../deregistration-delay.ts";
import { describeGroup, liveInstances } from "../fleet.ts";
import type { Runtime } from "../runtime.ts";
import { describeTargets } from "../targets.ts";
import type { DeployRecord, GroupChanges, GroupView } from "../types.ts";
import { snapshotOf, targetGroupArnsOf } from "./context.ts";

/**
 * What a deploy changes on the group and its target groups for its own duration: the stage's
 * processes suspended (as CloudFormation's AutoScalingRollingUpdate SuspendProcesses does, so
 * scaling and health replacements do not fight the deploy) and deregistration delays raised to
 * cover the drain. The intent is recorded before anything is changed, so every way out, a settle
 * after a crash included, restores exactly what was changed.
 */

/** Records the changes (the first record wins on a retry), then makes them. Safe to repeat. */
export async function applyGroupChanges(rt: Runtime, deployId: string): Promise<GroupChanges> {
  const record = await getDeploy(rt, deployId);
  const snapshot = snapshotOf(record);
  const group = await describeGroup(rt.clients.autoScaling, record.autoScalingGroupName);
  const planned: GroupChanges = {
    suspendedProcesses: rt.stage.suspendProcesses.filter((process) => !group.suspendedProcesses.includes(process)),
    deregistrationDelays: plannedDelayChanges(snapshot.targetGroups, record.input.drain, rt.stage),
  };
  const changes = (await updateDeploy(rt, deployId, {}, { groupChanges: planned })).groupChanges ?? planned;
  if (changes.suspendedProcesses.length > 0) {
    await rt.clients.autoScaling.send(new SuspendProcessesCommand({ AutoScalingGroupName: group.name, ScalingProcesses: changes.suspendedProcesses }));
  }
  for (const change of changes.deregistrationDelays) await setDeregistrationDelay(rt.clients.elbv2, change.targetGroupArn, change.raisedSeconds);
  await audit(rt, deployId, { step: "group-prepared", detail: { ...changes } });
  return changes;
}

/**
 * While ReplaceUnhealthy is suspended the ASG still marks instances Unhealthy (a shared outage
 * marks them all), and such a mark never clears by itself: resuming would replace them at once,
 * without a drain. An instance healthy again in every target group gets its mark cleared first
 * (SetInstanceHealth, which the Auto Scaling guide suggests for a suspended group).
 */
export async function clearOutageMarks(rt: Runtime, record: DeployRecord, group: GroupView): Promise<string[]> {
  const marked = liveInstances(group).filter((instance) => instance.lifecycleState === "InService" && instance.healthStatus === "Unhealthy");
  if (marked.length === 0) return [];
  const arns = targetGroupArnsOf(record);
  const states = await describeTargets(rt.clients.elbv2, arns, marked.map((instance) => instance.instanceId));
  const recovered = marked.filter((instance) => arns.length > 0 && arns.every((arn) => states.get(instance.instanceId)?.get(arn)?.state === "healthy"));
  for (const instance of recovered) {
    await rt.clients.autoScaling.send(new SetInstanceHealthCommand({ InstanceId: instance.instanceId, HealthStatus: "Healthy", ShouldRespectGracePeriod: false }));
  }
  return recovered.map((instance) => instance.instanceId);
}

export interface RestoredGroup {
  resumedProcesses: string[];
  restoredDelays: GroupChanges["deregistrationDelays"];
  clearedHealthMarks: string[];
}

/** Puts back what applyGroupChanges changed: only the processes it suspended, each delay to its original. Safe to repeat. */
export async function restoreGroupChanges(rt: Runtime, record: DeployRecord, group: GroupView): Promise<RestoredGroup> {
  const changes = record.groupChanges;
  if (changes === undefined) return { resumedProcesses: [], restoredDelays: [], clearedHealthMarks: [] };
  const clearedHealthMarks = changes.suspendedProcesses.includes("ReplaceUnhealthy") ? await clearOutageMarks(rt, record, group) : [];
  if (changes.suspendedProcesses.length > 0) {
    await rt.clients.autoScaling.send(new ResumeProcessesCommand({ AutoScalingGroupName: group.name, ScalingProcesses: changes.suspendedProcesses }));
  }
  for (const change of changes.deregistrationDelays) await setDeregistrationDelay(rt.clients.elbv2, change.targetGroupArn, change.originalSeconds);
  return { resumedProcesses: changes.suspendedProcesses, restoredDelays: changes.deregistrationDelays, clearedHealthMarks };
}
