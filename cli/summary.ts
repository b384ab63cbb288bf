import type { SimulationReport } from "../sim/report/report.ts";

const line = (label: string, value: string | number): string => `  ${label.padEnd(26)} ${value}`;

/** The report in a few lines a person reads at a glance. */
export function formatSummary(report: SimulationReport): string {
  const versions = Object.entries(report.fleet.versions)
    .map(([version, count]) => `v${version}×${count}`)
    .join(", ");
  const topCalls = Object.entries(report.aws.apiCalls)
    .sort(([, a], [, b]) => b - a)
    .slice(0, 5)
    .map(([call, count]) => `${call} ${count}`)
    .join(", ");
  const fleet = report.fleet;
  const forcedBy = Object.entries(report.connections.forcedDisconnectsBy)
    .map(([cause, count]) => `${cause} ${count}`)
    .join(", ");
  return [
    "",
    `Ebb simulation · ${report.scenario} · seed ${report.seed} · strategy ${report.strategy}`,
    line("outcome", report.outcome + (report.cause ? ` (${report.cause})` : "")),
    line("duration (virtual)", `${report.durationSeconds} s · lower bound ${report.lowerBoundSeconds} s · control plane ${report.controlPlaneSeconds} s · overhead ×${report.overheadRatio}`),
    line("settled", report.quiescence.quiescent ? `yes, ${report.quiescence.settleSeconds} s after the control plane was done` : `no: ${report.quiescence.unsettled.join(", ")}`),
    line("connections", `${report.connections.total} sessions · forced disconnects ${report.connections.forcedDisconnects} (${forcedBy}) · graceful hand-offs ${report.connections.gracefulHandoffs} (${report.connections.handoffsPerSession}/session) · peak reconnects ${report.connections.peakReconnectsPerMinute}/min`),
    line("capacity", `min healthy ${report.capacity.minHealthyInstances} (${report.capacity.minHealthyPercent}%)`),
    line("instances", `launched ${report.instances.launched} · terminated ${report.instances.terminated} · cut without drain ${report.instances.terminatedWithoutDrain}`),
    ...(report.scaleIn.victims.length === 0
      ? []
      : [line("scale in", `policy ${report.scaleIn.terminationPolicies.join(" → ")} · took ${report.scaleIn.victims.length} holding ${report.scaleIn.connectionsMoved} connections · ${report.scaleIn.notQuietest} not the quietest of their zone`)]),
    line("fleet at the end", `${versions || "none"} · launches v${fleet.launchTemplateVersion} · desired ${fleet.desiredCapacity}/max ${fleet.maxSize} · deregistered but running ${fleet.deregisteredButRunning} · unregistered in service ${fleet.unregisteredInService} · suspended ${fleet.suspendedProcesses.join(", ") || "none"} · lock ${fleet.lockHeld ? "HELD" : "free"}`),
    line("step functions", `${report.stepFunctions.executions} executions · ${report.stepFunctions.stateTransitions} transitions (${report.stepFunctions.stateTransitionsPerInstance}/instance) · max history ${report.stepFunctions.maxHistoryEvents}`),
    line("aws api", `${topCalls} · throttled ${report.aws.throttled} · peak describe ${report.aws.peakDescribePerSecond}/s`),
    line("wall time", `${report.wallSeconds} s`),
  ].join("\n");
}
