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
    line("instances", `launched ${report.instances.launched} · terminated ${report.instances.terminated} · cut without drain ${report.instances.terminatedWithoutDrain} · remediated ${report.instances.remediated} · replaced by the ASG ${report.instances.replacedByAsg}`),
    ...(report.scaleIn.victims.length === 0
      ? []
      : [line("scale in", `policy ${report.scaleIn.terminationPolicies.join(" → ")} · took ${report.scaleIn.victims.length} holding ${report.scaleIn.connectionsMoved} connections · ${report.scaleIn.notQuietest} not the quietest of their zone`)]),
    line("fleet at the end", `${versions || "none"} · launches v${fleet.launchTemplateVersion} · desired ${fleet.desiredCapacity}/max ${fleet.maxSize} · deregistered but running ${fleet.deregisteredButRunning} · unregistered in service ${fleet.unregisteredInService} · suspended ${fleet.suspendedProcesses.join(", ") || "none"} · lock ${fleet.lockHeld ? "HELD" : "free"}`),
    line("step functions", `${report.stepFunctions.executions} executions · ${report.stepFunctions.stateTransitions} transitions (${report.stepFunctions.stateTransitionsPerInstance}/instance) · max history ${report.stepFunctions.maxHistoryEvents}`),
    line("ebb events", Object.entries(report.events.ebb).map(([type, count]) => `${type} ${count}`).join(" · ") || "none"),
    line("aws api", `${topCalls} · throttled ${report.aws.throttled} · peak describe ${report.aws.peakDescribePerSecond}/s`),
    ...(report.scaling === undefined ? [] : [line("scaling", scalingLine(report.scaling))]),
    line("wall time", `${report.wallSeconds} s`),
  ].join("\n");
}

const scalingLine = (scaling: NonNullable<SimulationReport["scaling"]>): string =>
  `target ${scaling.targetConnectionsPerInstance}/instance · p95 ${scaling.p95ConnectionsPerInstance} (×${(scaling.p95ConnectionsPerInstance / scaling.targetConnectionsPerInstance).toFixed(2)}) · busiest instances p95 ${scaling.p95InstanceConnections}, max ${scaling.maxConnectionsPerInstance} · ${scaling.instanceMinutes} instance-minutes (peak ${scaling.peakInstances}) · scale outs ${scaling.scaleOuts}, ins ${scaling.scaleIns} · forced disconnects ${scaling.forcedDisconnects}`;

/** Traffic runs of the same scenario side by side, one column per strategy. */
export function formatScalingComparison(reports: readonly SimulationReport[]): string {
  const rows: Array<[label: string, value: (scaling: NonNullable<SimulationReport["scaling"]>) => string | number]> = [
    ["target connections/instance", (scaling) => scaling.targetConnectionsPerInstance],
    ["p95 connections/instance", (scaling) => scaling.p95ConnectionsPerInstance],
    ["p95 ÷ target", (scaling) => (scaling.p95ConnectionsPerInstance / scaling.targetConnectionsPerInstance).toFixed(2)],
    ["p95 single instance", (scaling) => scaling.p95InstanceConnections],
    ["max single instance", (scaling) => scaling.maxConnectionsPerInstance],
    ["instance-minutes", (scaling) => scaling.instanceMinutes],
    ["peak instances", (scaling) => scaling.peakInstances],
    ["scale outs", (scaling) => scaling.scaleOuts],
    ["scale ins", (scaling) => scaling.scaleIns],
    ["forced disconnects", (scaling) => scaling.forcedDisconnects],
  ];
  const header = `  ${"".padEnd(28)} ${reports.map((report) => report.strategy.padStart(12)).join(" ")}`;
  const body = rows.map(([label, value]) => `  ${label.padEnd(28)} ${reports.map((report) => String(report.scaling === undefined ? "-" : value(report.scaling)).padStart(12)).join(" ")}`);
  return ["", `Scaling · ${reports[0]?.scenario ?? ""} · seed ${reports[0]?.seed ?? ""}`, header, ...body].join("\n");
}
