import { audit, getDeploy, updateDeploy } from "../deploy-store.ts";
import { signalUndrain } from "../drain.ts";
import { describeGroup, liveInstances, restoreMaxSize } from "../fleet.ts";
import { releaseLock } from "../lock.ts";
import type { Runtime } from "../runtime.ts";
import { describeTargets, notServingByGroup, registerInstances } from "../targets.ts";
import type { DeployRecord, DeployStatus, GroupView } from "../types.ts";
import { snapshotOf, targetGroupArnsOf } from "./context.ts";
import { renewDeployLease } from "./lease.ts";
import { describeFailure } from "./failure.ts";

export type DeployOutcome = "Succeeded" | "DryRun" | "RolledBack" | "Failed" | "RollbackFailed";

export interface FinishedDeploy {
  outcome: DeployOutcome;
  /** The Error the workflow ends with (Fail states read it). */
  error: string;
  cause: string;
}

/** Instances a deploy or rollback batch was planned to drain: the only ones a deploy tells to drain. */
const plannedToDrain = (record: DeployRecord): Set<string> =>
  new Set([record.plan, record.rollback?.plan].flatMap((plan) => plan?.batches.flatMap((batch) => batch.instanceIds) ?? []));

interface ReRegistered {
  stranded: string[];
  /** SSM command ids of the undrain signal. */
  undrainCommandIds: string[];
  /** Why the undrain signal could not be sent (the instances were registered back all the same). */
  undrainError?: string;
}

/** Serving again matters more than the signal: a failed SendCommand is recorded, never a reason to leave instances out. */
async function tryUndrain(rt: Runtime, record: DeployRecord, stranded: readonly string[]): Promise<Omit<ReRegistered, "stranded">> {
  const planned = plannedToDrain(record);
  try {
    return { undrainCommandIds: await signalUndrain(rt, stranded.filter((id) => planned.has(id)), record.input.drain.signal) };
  } catch (error) {
    const failure = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return { undrainCommandIds: [], undrainError: failure };
  }
}

/**
 * After an aborted deploy no InService instance stays deregistered or drained. The drained app
 * is told to accept connections again before it is registered back: a retry after a crash in
 * between still finds it stranded and signals it again (harmless), never the other way round.
 */
async function reRegisterStranded(rt: Runtime, record: DeployRecord, group: GroupView): Promise<ReRegistered> {
  const targetGroupArns = targetGroupArnsOf(record);
  const inService = liveInstances(group).filter((instance) => instance.lifecycleState === "InService");
  const states = await describeTargets(rt.clients.elbv2, targetGroupArns, inService.map((instance) => instance.instanceId));
  const missingByGroup = notServingByGroup(states, targetGroupArns);
  const stranded = [...new Set([...missingByGroup.values()].flat())];
  const undrain = await tryUndrain(rt, record, stranded);
  for (const [arn, missing] of missingByGroup) await registerInstances(rt.clients.elbv2, [arn], missing);
  return { stranded, ...undrain };
}

/**
 * Ends a deploy whatever happened: restores MaxSize (a surge may have raised it), leaves no
 * instance deregistered or drained after a failure, records the outcome and releases the lock. Idempotent.
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
  let reRegistered: ReRegistered = { stranded: [], undrainCommandIds: [] };
  if (record.snapshot !== undefined && outcome !== "DryRun") {
    const group = await describeGroup(rt.clients.autoScaling, record.autoScalingGroupName);
    await restoreMaxSize(rt.clients.autoScaling, record.autoScalingGroupName, snapshotOf(record).maxSize, group);
    if (outcome === "Failed" || outcome === "RollbackFailed") reRegistered = await reRegisterStranded(rt, record, group);
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
  await audit(rt, deployId, { step: `finished-${outcome}`, detail: { cause, ...reRegistered, lockReleased: released } });
  return { outcome, error, cause };
}
