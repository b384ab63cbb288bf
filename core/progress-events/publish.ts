import { PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { recordProgressEventsFailed } from "../metrics.ts";
import type { Runtime } from "../runtime.ts";

/**
 * Ebb's own progress events, the way Auto Scaling publishes Instance Refresh events: one
 * EventBridge event per fact, when the step that learns the fact runs, so users can route them
 * to chat or paging with a rule. Delivery is at least once: a Step Functions task retried after
 * its PutEvents succeeded publishes the fact again, as AWS's own events may arrive twice, so
 * each detail carries `eventId`, stable across retries, for consumers to dedupe on.
 */
export const PROGRESS_EVENT_SOURCE = "ebb";

export const PROGRESS_DETAIL_TYPES = {
  deployStarted: "Ebb Deploy Started",
  batchCompleted: "Ebb Batch Completed",
  deployRolledBack: "Ebb Deploy Rolled Back",
  deployFinished: "Ebb Deploy Finished",
  outageDetected: "Ebb Outage Detected",
} as const;
export type ProgressDetailType = (typeof PROGRESS_DETAIL_TYPES)[keyof typeof PROGRESS_DETAIL_TYPES];

export interface ProgressEvent {
  readonly detailType: ProgressDetailType;
  /** Stable for one fact (e.g. `<deployId>:deploy:batch:2`): the same on every retry of its step. */
  readonly eventId: string;
  readonly autoScalingGroupName: string;
  readonly detail: Readonly<Record<string, unknown>>;
  /** ARNs the event is about (the group's, where the step knows it). */
  readonly resources?: readonly string[];
}

/**
 * Puts the event on the stage's bus. Never throws: a progress event is news about the deploy,
 * not part of it, so a failure is logged and counted (ProgressEventsFailed) and the step goes on.
 * Returns whether EventBridge took it.
 */
export async function publishProgress(rt: Runtime, event: ProgressEvent): Promise<boolean> {
  const context = { detailType: event.detailType, eventId: event.eventId, eventBusName: rt.stage.eventBusName };
  try {
    const response = await rt.clients.eventBridge.send(
      new PutEventsCommand({
        Entries: [
          {
            Source: PROGRESS_EVENT_SOURCE,
            DetailType: event.detailType,
            Detail: JSON.stringify({ eventId: event.eventId, stage: rt.stage.stage, autoScalingGroupName: event.autoScalingGroupName, ...event.detail }),
            EventBusName: rt.stage.eventBusName,
            Resources: [...(event.resources ?? [])],
            Time: rt.clock.now(),
          },
        ],
      }),
    );
    // PutEvents answers 200 even when it rejected entries: only FailedEntryCount tells.
    if ((response.FailedEntryCount ?? 0) > 0) {
      const entry = response.Entries?.[0];
      rt.logger.warn("Progress event not accepted", { ...context, errorCode: entry?.ErrorCode, errorMessage: entry?.ErrorMessage });
      recordProgressEventsFailed(rt, response.FailedEntryCount ?? 1);
      return false;
    }
    return true;
  } catch (error) {
    rt.logger.warn("Progress event not published", { ...context, error: error instanceof Error ? error.message : String(error) });
    recordProgressEventsFailed(rt, 1);
    return false;
  }
}
