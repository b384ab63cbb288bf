import { audit, getDeploy, updateDeploy } from "../deploy-store.ts";
import { describeGroup, restoreMaxSize } from "../fleet.ts";
import { releaseLock } from "../lock.ts";
import type { Runtime } from "../runtime.ts";
import type { DeployStatus } from "../types.ts";
import { snapshotOf } from "./context.ts";
import { renewDeployLease } from "./lease.ts";
import { describeFailure } from "./failure.ts";
import { restoreGroupChanges } from "./group-changes.ts";
import { restoreConfiguration } from "./restore-configuration.ts";
import { reRegisterStranded } from "./serving.ts";
import { recordDeployFinished } from "../metrics.ts";

export type DeployOutcome = "Succeeded" | "DryRun" | "RolledBack" | "Failed" | "RollbackFailed";

export interface FinishedDeploy {
  outcome: DeployOutcome;
  /** The Error the workflow ends with (Fail states read it). */
  error: string;
  cause: string;
}

const isFailure = (outcome: DeployOutcome): boolean => outcome === "Failed" || outcome === "RollbackFailed";

/**
 * Ends a deploy whatever happened: after a failure (an abort included) puts the group's capacity
 * and launch template back as configured before the deploy; on every outcome leaves no running
 * instance deregistered or drained, resumes the processes and restores the deregistration delays
 * the deploy changed, restores MaxSize, records the outcome and releases the lock. Idempotent:
 * the outcome is recorded only once everything is back.
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
  // Nothing of the fleet is touched, and no lock released, by a deploy that lost its lock.
  await renewDeployLease(rt, record);
  let restored: Record<string, unknown> = {};
  if (record.snapshot !== undefined && outcome !== "DryRun") {
    const found = await describeGroup(rt.clients.autoScaling, record.autoScalingGroupName);
    const configuration = isFailure(outcome) ? await restoreConfiguration(rt, record, found) : undefined;
    const group = configuration === undefined ? found : await describeGroup(rt.clients.autoScaling, record.autoScalingGroupName);
    const reRegistered = await reRegisterStranded(rt, record, group);
    const groupChanges = await restoreGroupChanges(rt, record, group);
    await restoreMaxSize(rt.clients.autoScaling, record.autoScalingGroupName, snapshotOf(record).maxSize, group);
    restored = { ...reRegistered, ...groupChanges, ...(configuration === undefined ? {} : { configuration }) };
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
  recordDeployFinished(rt, outcome, record.startedAt, at);
  const released = await releaseLock(rt, record.autoScalingGroupName, deployId);
  await audit(rt, deployId, { step: `finished-${outcome}`, detail: { cause, ...restored, lockReleased: released } });
  return { outcome, error, cause };
}
