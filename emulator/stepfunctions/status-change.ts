import { EXECUTION_STATUS_CHANGE } from "../../infra/events.ts";
import type { ExecutionStatus, ExecutionSummary } from "./types.ts";

/**
 * The "Step Functions Execution Status Change" event AWS sends to EventBridge when an execution
 * starts and when it ends (Step Functions developer guide, "Automating Step Functions event
 * delivery with EventBridge"): dates are epoch milliseconds, input and output JSON text, and
 * every field is present, null when it does not apply.
 */
export interface ExecutionStatusChangeDetail {
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly name: string;
  readonly status: ExecutionStatus;
  readonly startDate: number;
  readonly stopDate: number | null;
  readonly input: string;
  readonly inputDetails: { readonly included: boolean };
  /** Only a SUCCEEDED execution has output. */
  readonly output: string | null;
  readonly outputDetails: { readonly included: boolean } | null;
  readonly error: string | null;
  readonly cause: string | null;
}

/** What the service hands to EventBridge; the bus adds id, time, account and region. */
export interface ExecutionStatusChangeEvent {
  readonly source: "aws.states";
  readonly "detail-type": typeof EXECUTION_STATUS_CHANGE;
  readonly resources: readonly string[];
  readonly detail: ExecutionStatusChangeDetail;
}

export type ExecutionStatusChangeListener = (event: ExecutionStatusChangeEvent) => void;

export function executionStatusChange(summary: ExecutionSummary): ExecutionStatusChangeEvent {
  const succeeded = summary.status === "SUCCEEDED";
  return {
    source: "aws.states",
    "detail-type": EXECUTION_STATUS_CHANGE,
    resources: [summary.executionArn],
    detail: {
      executionArn: summary.executionArn,
      stateMachineArn: summary.stateMachineArn,
      name: summary.name,
      status: summary.status,
      startDate: summary.startMs,
      stopDate: summary.status === "RUNNING" ? null : summary.stopMs ?? null,
      input: JSON.stringify(summary.input),
      inputDetails: { included: true },
      output: succeeded ? JSON.stringify(summary.output ?? null) : null,
      outputDetails: succeeded ? { included: true } : null,
      error: summary.error ?? null,
      cause: summary.cause ?? null,
    },
  };
}
