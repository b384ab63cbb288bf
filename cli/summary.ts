import type { SimulationReport } from "../sim/report/report.ts";

const line = (label: string, value: string | number): string => `  ${label.padEnd(26)} ${value}`;

/** The report in a few lines a person reads at a glance. */
export function formatSummary(report: SimulationReport): string {
  const versions = Object.entries(report.instances.finalVersions)
    .map(([version, count]) => `v${version}×${count}`)
    .join(", ");
  const topCalls = Object.entries(report.aws.apiCalls)
    .sort(([, a], [, b]) => b - a)
    .slice(0, 5)
    .map(([call, count]) => `${call} ${count}`)
    .join(", ");
  return [
    "",
    `Ebb simulation · ${report.scenario} · seed ${report.seed} · strategy ${report.strategy}`,
    line("outcome", report.outcome + (report.cause ? ` (${report.cause})` : "")),
    line("duration (virtual)", `${report.durationSeconds} s · lower bound ${report.lowerBoundSeconds} s · overhead ×${report.overheadRatio}`),
    line("connections", `${report.connections.total} sessions · forced disconnects ${report.connections.forcedDisconnects} · graceful hand-offs ${report.connections.gracefulHandoffs} · peak reconnects ${report.connections.peakReconnectsPerMinute}/min`),
    line("capacity", `min healthy ${report.capacity.minHealthyInstances} (${report.capacity.minHealthyPercent}%)`),
    line("instances", `launched ${report.instances.launched} · terminated ${report.instances.terminated} · without drain ${report.instances.terminatedWithoutDrain} · now ${versions || "none"}`),
    line("step functions", `${report.stepFunctions.executions} executions · ${report.stepFunctions.stateTransitions} transitions (${report.stepFunctions.stateTransitionsPerInstance}/instance) · max history ${report.stepFunctions.maxHistoryEvents}`),
    line("aws api", `${topCalls} · throttled ${report.aws.throttled} · peak describe ${report.aws.peakDescribePerSecond}/s`),
    line("wall time", `${report.wallSeconds} s`),
  ].join("\n");
}
