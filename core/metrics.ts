import { MetricUnit } from "@aws-lambda-powertools/metrics";
import type { Runtime } from "./runtime.ts";

/**
 * Ebb's own operational metrics, one home for their names. They are buffered on the runtime's
 * Metrics and flushed as EMF by the handler wrapper's logMetrics at the end of the invocation.
 */
export function recordDeployFinished(rt: Runtime, outcome: string, startedAt: string, finishedAt: string): void {
  const seconds = (Date.parse(finishedAt) - Date.parse(startedAt)) / 1000;
  rt.metrics.addDimension("outcome", outcome);
  if (Number.isFinite(seconds)) rt.metrics.addMetric("DeployDuration", MetricUnit.Seconds, seconds);
  rt.metrics.addMetric("DeploysFinished", MetricUnit.Count, 1);
}

export function recordRemediationFinished(rt: Runtime, replaced: number, outagesDetected: number): void {
  rt.metrics.addMetric("Remediations", MetricUnit.Count, replaced);
  rt.metrics.addMetric("OutagesDetected", MetricUnit.Count, outagesDetected);
}

/** A drain's end as the pipeline observed it: connections handed off gracefully and those cut. */
export function recordDrained(rt: Runtime, drained: number, forced: number): void {
  rt.metrics.addMetric("ConnectionsDrained", MetricUnit.Count, drained);
  rt.metrics.addMetric("ForcedDisconnects", MetricUnit.Count, forced);
}

/** Progress events EventBridge did not take (a failed call, or entries in FailedEntryCount). */
export function recordProgressEventsFailed(rt: Runtime, failed: number): void {
  rt.metrics.addMetric("ProgressEventsFailed", MetricUnit.Count, failed);
}
