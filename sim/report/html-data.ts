import { isRollbackPhase } from "../strategies/ebb-progress.ts";
import type { Outcome, SimulationReport } from "./report.ts";

/** What the page's charts are drawn from, shaped once here so that the page's script only draws. */

export interface PhaseSegment {
  /** One lane per batch ("batch 2", "rollback batch 1"); marks without a batch go to the "deploy" lane. */
  lane: string;
  phase: string;
  /** Virtual seconds since the start. */
  from: number;
  to: number;
}

/** How the page states the outcome: only Succeeded reads as a success. */
export function outcomeStatus(outcome: Outcome): { label: string; tone: "success" | "warning" | "failure" } {
  if (outcome === "Succeeded") return { label: "Succeeded", tone: "success" };
  if (outcome === "RolledBack") return { label: "Rolled back: the deploy did not complete, the fleet is back on its original version", tone: "warning" };
  return { label: outcome, tone: "failure" };
}

const laneOf = (batch: number | undefined, phase: string): string =>
  batch === undefined ? "deploy" : `${isRollbackPhase(phase) ? "rollback batch" : "batch"} ${batch + 1}`;

/** Each phase mark lasts until the next mark (of any batch: the workflow runs one step at a time), the last one until the run's end. */
export function phaseSegments(report: SimulationReport): PhaseSegment[] {
  const marks = report.timeline.phases;
  return marks.map((mark, index) => ({
    lane: laneOf(mark.batch, mark.phase),
    phase: mark.phase,
    from: mark.t,
    to: Math.max(mark.t, marks[index + 1]?.t ?? report.durationSeconds),
  }));
}

/** Reconnects per whole minute from the start to the run's end, minutes without any included. */
export function reconnectBars(report: SimulationReport): number[] {
  const minutes = Math.max(report.timeline.reconnectsPerMinute.length, Math.ceil(report.durationSeconds / 60));
  return Array.from({ length: minutes }, (_, minute) => report.timeline.reconnectsPerMinute[minute] ?? 0);
}

/** The page's title: the scenario, the strategy that rolled the fleet, and how it ended. */
export const reportTitle = (report: SimulationReport): string =>
  `Ebb simulation: ${report.scenario}, strategy ${report.strategy} (seed ${report.seed}): ${report.outcome}`;
