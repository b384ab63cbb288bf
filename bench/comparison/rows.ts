import type { SimulationReport } from "../../sim/report/report.ts";

/** One strategy on one fleet at one size: every figure read off its simulation report. */
export interface ComparisonRow {
  strategy: string;
  fleet: string;
  instances: number;
  durationSeconds: number;
  lowerBoundSeconds: number;
  overheadRatio: number;
  /** Per batch: what the control plane added above the physics' lower bound. */
  controlPlaneSeconds: number;
  forcedDisconnects: number;
  handoffsPerSession: number;
  peakReconnectsPerMinute: number;
  minHealthyPercent: number;
  apiCallsPerReplacedInstance: number;
  peakDescribePerSecond: number;
  stateTransitionsPerInstance: number;
  maxHistoryEvents: number;
  costUsd: number;
  wallSeconds: number;
}

/** The figures of a row, in the order the page and the table show them. */
export const FIGURES = [
  "durationSeconds",
  "lowerBoundSeconds",
  "overheadRatio",
  "controlPlaneSeconds",
  "forcedDisconnects",
  "handoffsPerSession",
  "peakReconnectsPerMinute",
  "minHealthyPercent",
  "apiCallsPerReplacedInstance",
  "peakDescribePerSecond",
  "stateTransitionsPerInstance",
  "maxHistoryEvents",
  "costUsd",
  "wallSeconds",
] as const satisfies readonly (keyof ComparisonRow)[];

export type Figure = (typeof FIGURES)[number];

export function rowOf(strategy: string, fleet: string, instances: number, report: SimulationReport): ComparisonRow {
  return {
    strategy,
    fleet,
    instances,
    durationSeconds: report.durationSeconds,
    lowerBoundSeconds: report.lowerBoundSeconds,
    overheadRatio: report.overheadRatio,
    controlPlaneSeconds: report.controlPlaneSecondsPerBatch,
    forcedDisconnects: report.connections.forcedDisconnects,
    handoffsPerSession: report.connections.handoffsPerSession,
    peakReconnectsPerMinute: report.connections.peakReconnectsPerMinute,
    minHealthyPercent: report.capacity.minHealthyPercent,
    apiCallsPerReplacedInstance: report.aws.apiCallsPerReplacedInstance,
    peakDescribePerSecond: report.aws.peakDescribePerSecond,
    stateTransitionsPerInstance: report.stepFunctions.stateTransitionsPerInstance,
    maxHistoryEvents: report.stepFunctions.maxHistoryEvents,
    costUsd: report.cost.usd,
    wallSeconds: report.wallSeconds,
  };
}
