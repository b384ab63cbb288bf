import type { BatchRef } from "../deploy/batch.ts";
import type { FinishedDeploy } from "../deploy/finish.ts";
import type { RollbackStart } from "../deploy/rollback.ts";
import type { PlanSummary } from "../deploy/start.ts";
import { getDeploy } from "../deploy-store.ts";
import type { Runtime } from "../runtime.ts";
import type { DeployRecord } from "../types.ts";
import { PROGRESS_DETAIL_TYPES, publishProgress, type ProgressEvent } from "./publish.ts";

/**
 * The deploy's progress events, each published by the step that learns its fact, after the step
 * did its work (a step that fails publishes nothing; its retry publishes once it succeeds). The
 * step modules are imported as types only, so a handler that never announces carries no
 * EventBridge client.
 */
type Step<Event, Result> = (rt: Runtime, event: Event) => Promise<Result>;
type Describe<Event, Result> = (record: DeployRecord, event: Event, result: Result) => ProgressEvent | undefined;

/** Runs the step, then publishes what it describes (never failing the step: see publishProgress). */
export function announced<Event extends { deployId: string }, Result>(step: Step<Event, Result>, describe: Describe<Event, Result>): Step<Event, Result> {
  return async (rt, event) => {
    const result = await step(rt, event);
    const record = await getDeploy(rt, event.deployId);
    // A dry run is a plan shown to its caller, not a deploy: it changes nothing and announces nothing.
    const progress = record.input.dryRun ? undefined : describe(record, event, result);
    if (progress !== undefined) await publishProgress(rt, progress);
    return result;
  };
}

const groupArn = (record: DeployRecord): readonly string[] => (record.snapshot?.groupArn === undefined ? [] : [record.snapshot.groupArn]);

const base = (record: DeployRecord): Record<string, unknown> => ({ deployId: record.deployId, targetVersion: record.targetVersion, mode: record.input.mode });

/** plan-deploy: the fleet is read and planned, nothing changed yet. */
export const deployStarted: Describe<{ deployId: string }, PlanSummary> = (record, _event, plan) => ({
  detailType: PROGRESS_DETAIL_TYPES.deployStarted,
  eventId: `${record.deployId}:started`,
  autoScalingGroupName: record.autoScalingGroupName,
  resources: groupArn(record),
  detail: { ...base(record), batchCount: plan.batchCount, predictedSeconds: plan.predictedSeconds, startedAt: record.startedAt },
});

export const batchCompleted: Describe<BatchRef, { batchIndex: number; completedAt: string; batchCount: number }> = (record, ref, done) => ({
  detailType: PROGRESS_DETAIL_TYPES.batchCompleted,
  eventId: `${record.deployId}:${ref.phase}:batch:${ref.batchIndex + 1}`,
  autoScalingGroupName: record.autoScalingGroupName,
  resources: groupArn(record),
  detail: { ...base(record), phase: ref.phase, batch: ref.batchIndex + 1, batchCount: done.batchCount, completedAt: done.completedAt },
});

/** begin-rollback: the deploy failed and the batches done are being undone (Deploy Finished tells how that ended). */
export const deployRolledBack: Describe<{ deployId: string; batchIndex: number }, RollbackStart> = (record, event, rollback) => ({
  detailType: PROGRESS_DETAIL_TYPES.deployRolledBack,
  eventId: `${record.deployId}:rolled-back`,
  autoScalingGroupName: record.autoScalingGroupName,
  resources: groupArn(record),
  detail: { ...base(record), failedBatch: event.batchIndex + 1, rollbackBatchCount: rollback.batchCount, error: rollback.error, cause: rollback.cause },
});

export const deployFinished: Describe<{ deployId: string }, FinishedDeploy> = (record, _event, finished) => ({
  detailType: PROGRESS_DETAIL_TYPES.deployFinished,
  eventId: `${record.deployId}:finished`,
  autoScalingGroupName: record.autoScalingGroupName,
  resources: groupArn(record),
  detail: {
    ...base(record),
    outcome: finished.outcome,
    startedAt: record.startedAt,
    finishedAt: record.outcome?.at,
    ...(finished.outcome === "Succeeded" ? {} : { error: finished.error, cause: finished.cause }),
  },
});
