import { loadScenario } from "../../sim/scenarios.ts";
import { simulate } from "../../sim/simulate.ts";
import { peakRssMb, round } from "../measure.ts";
import type { Benchmark } from "../registry.ts";

/** The whole rolling deploy of a 1,000-instance, 1,000,000-session fleet through the real workflow. */
export const largeFleetDeploy: Benchmark = {
  name: "large-fleet-deploy",
  description: "ebb simulate --scenario large-fleet (1,000 instances, 1,000,000 sessions, 10% batches)",
  targets: { wallSeconds: 30, maxHistoryEvents: 25_000 },
  async run() {
    const report = await simulate(loadScenario("large-fleet"));
    return {
      wallSeconds: report.wallSeconds,
      virtualSeconds: report.durationSeconds,
      overheadRatio: report.overheadRatio,
      forcedDisconnects: report.connections.forcedDisconnects,
      stateTransitions: report.stepFunctions.stateTransitions,
      stateTransitionsPerInstance: report.stepFunctions.stateTransitionsPerInstance,
      maxHistoryEvents: report.stepFunctions.maxHistoryEvents,
      peakRssMb: round(peakRssMb(), 0),
    };
  },
};
