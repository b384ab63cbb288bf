import { audit, getDeploy, updateDeploy } from "../deploy-store.ts";
import { describeGroup, liveInstances, restoreMaxSize } from "../fleet.ts";
import { releaseLock } from "../lock.ts";
import type { Runtime } from "../runtime.ts";
import { describeTargets, isServing, registerInstances } from "../targets.ts";
import type { DeployStatus, GroupView } from "../types.ts";
import { snapshotOf, targetGroupArnsOf } from "./context.ts";
import { describeFailure } from "./failure.ts";

export type DeployOutcome = "Succeeded" | "DryRun" | "RolledBack" | "Failed" | "RollbackFailed";

export interface FinishedDeploy {
  outcome: DeployOutcome;
  /** The Error the workflow ends with (Fail states read it). */
  error: string;
  cause: string;
}

/** After an aborted deploy no InService instance stays deregistered: register it back where it is missing. */
async function reRegisterStranded(rt: Runtime, group: GroupView, targetGroupArns: readonly string[]): Promise<string[]> {
  const inService = liveInstances(group).filter((instance) => instance.lifecycleState === "InService");
  const states = await describeTargets(rt.clients.elbv2, targetGroupArns, inService.map((instance) => instance.instanceId));
  const stranded: string[] = [];
  for (const arn of targetGroupArns) {
    const missing = [...states].filter(([, perGroup]) => !isServing(perGroup.get(arn) ?? { state: "unused", reason: undefined, port: undefined }));
    await registerInstances(rt.clients.elbv2, [arn], missing.map(([id]) => id));
    stranded.push(...missing.map(([id]) => id));
  }
  return [...new Set(stranded)];
}

/**
 * Ends a deploy whatever happened: restores MaxSize (a surge may have raised it), leaves no
 * instance deregistered after a failure, records the outcome and releases the lock. Idempotent.
 */
export async function finishDeploy(
  rt: Runtime,
  deployId: string,
  outcome: DeployOutcome,
  failure?: { Error?: string | undefined; Cause?: string | undefined },
): Promise<FinishedDeploy> {
  const record = await getDeploy(rt, deployId);
  if (record.outcome !== undefined) {
    // Already finished (a retried task, or the abort handler after a normal end): only make sure the lock is free.
    await releaseLock(rt, record.autoScalingGroupName, deployId);
    const status = record.outcome.status;
    return { outcome: status === "Succeeded" || status === "DryRun" || status === "RolledBack" ? status : "Failed", error: status, cause: record.outcome.cause ?? "" };
  }
  let stranded: string[] = [];
  if (record.snapshot !== undefined && outcome !== "DryRun") {
    const group = await describeGroup(rt.clients.autoScaling, record.autoScalingGroupName);
    await restoreMaxSize(rt.clients.autoScaling, record.autoScalingGroupName, snapshotOf(record).maxSize, group);
    if (outcome === "Failed" || outcome === "RollbackFailed") stranded = await reRegisterStranded(rt, group, targetGroupArnsOf(record));
  }
  const failed = failure === undefined ? undefined : describeFailure(failure);
  let error: string = outcome;
  let cause = failed?.cause ?? "";
  if (outcome === "RolledBack") cause = record.rollback?.cause ?? cause;
  if (outcome === "Failed") error = failed?.error ?? outcome;
  if (outcome === "RollbackFailed") {
    cause = `rollback after ${record.rollback?.cause ?? "a failure"} did not finish: ${failed === undefined ? "unknown" : `${failed.error}: ${failed.cause}`}`;
  }
  const status: DeployStatus = outcome === "RollbackFailed" ? "Failed" : outcome;
  const at = rt.clock.now().toISOString();
  await updateDeploy(rt, deployId, { status, outcome: { status, at, cause } });
  const released = await releaseLock(rt, record.autoScalingGroupName, deployId);
  await audit(rt, deployId, { step: `finished-${outcome}`, detail: { cause, stranded, lockReleased: released } });
  return { outcome, error, cause };
}
