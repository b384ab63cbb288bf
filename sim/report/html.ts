import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { SimulationReport } from "./report.ts";

const require = createRequire(import.meta.url);

/** Keeps embedded JSON from closing the script element it sits in. */
const embed = (value: unknown): string => JSON.stringify(value).replaceAll("<", "\\u003c");

const escapeHtml = (text: string): string =>
  text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");

/** A self-contained page (Chart.js inlined, works offline) with the run's charts over virtual time. */
export async function renderHtmlReport(report: SimulationReport): Promise<string> {
  // The UMD build is not in chart.js's exports map; it sits beside the CommonJS entry.
  const chartJs = await readFile(join(dirname(require.resolve("chart.js")), "chart.umd.min.js"), "utf8");
  const summary: [string, string | number][] = [
    ["Outcome", report.outcome],
    ["Strategy", report.strategy],
    ["Duration (virtual s)", report.durationSeconds],
    ["Lower bound (s)", report.lowerBoundSeconds],
    ["Control plane (s)", report.controlPlaneSeconds],
    ["Overhead ratio", report.overheadRatio],
    ["Settled", report.quiescence.quiescent ? `after ${report.quiescence.settleSeconds} s` : `no: ${report.quiescence.unsettled.join(", ")}`],
    ["Forced disconnects", report.connections.forcedDisconnects],
    ["Graceful hand-offs (per session)", `${report.connections.gracefulHandoffs} (${report.connections.handoffsPerSession})`],
    ["Min healthy", `${report.capacity.minHealthyInstances} (${report.capacity.minHealthyPercent}%)`],
    ["Terminated without drain", report.instances.terminatedWithoutDrain],
    ["Deregistered but running", report.fleet.deregisteredButRunning],
    ["Unregistered in service", report.fleet.unregisteredInService],
    ["Lock held at the end", report.fleet.lockHeld ? "yes" : "no"],
  ];
  const rows = summary.map(([name, value]) => `<tr><th>${escapeHtml(name)}</th><td>${escapeHtml(String(value))}</td></tr>`);
  const phases = report.timeline.phases.map(
    (mark) =>
      `<tr><td>${mark.t.toFixed(0)}</td><td>${mark.batch === undefined ? "" : mark.batch + 1}</td><td>${escapeHtml(mark.phase)}</td></tr>`,
  );
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Ebb simulation: ${escapeHtml(report.scenario)}</title>
<style>
body{font-family:system-ui,sans-serif;margin:2rem;max-width:1100px}
.grid{display:grid;grid-template-columns:1fr 1fr;gap:1.5rem}
table{border-collapse:collapse}th,td{padding:.2rem .8rem;text-align:left;border-bottom:1px solid #ddd}
.phases{max-height:320px;overflow:auto}
</style></head><body>
<h1>Ebb simulation: ${escapeHtml(report.scenario)} (seed ${report.seed})</h1>
${report.cause ? `<p><strong>Cause:</strong> ${escapeHtml(report.cause)}</p>` : ""}
<table>${rows.join("")}</table>
<div class="grid">
<div><h2>Healthy capacity</h2><canvas id="capacity"></canvas></div>
<div><h2>Connections per instance</h2><canvas id="connections"></canvas></div>
<div><h2>Forced disconnects and hand-offs</h2><canvas id="disconnects"></canvas></div>
<div><h2>Reconnects per minute</h2><canvas id="reconnects"></canvas></div>
</div>
<h2>Batch phases</h2>
<div class="phases"><table><tr><th>t (s)</th><th>batch</th><th>phase</th></tr>${phases.join("")}</table></div>
<script>${chartJs}</script>
<script>
const data = ${embed(report.timeline)};
const t = data.samples.map((s) => s.t);
const line = (id, datasets, labels = t) => new Chart(document.getElementById(id), {
  type: "line",
  data: { labels, datasets: datasets.map(([label, values]) => ({ label, data: values, pointRadius: 0, borderWidth: 2 })) },
  options: { animation: false, scales: { x: { title: { display: true, text: "virtual seconds" } } } },
});
line("capacity", [["healthy", data.samples.map((s) => s.healthyInstances)], ["in service", data.samples.map((s) => s.inServiceInstances)]]);
line("connections", [["min", data.samples.map((s) => s.connectionsMin)], ["mean", data.samples.map((s) => s.connectionsMean)], ["max", data.samples.map((s) => s.connectionsMax)]]);
line("disconnects", [["forced (cumulative)", data.samples.map((s) => s.forcedDisconnects)], ["graceful (cumulative)", data.samples.map((s) => s.gracefulHandoffs)]]);
line("reconnects", [["reconnects", data.reconnectsPerMinute]], data.reconnectsPerMinute.map((_, minute) => minute * 60));
</script>
</body></html>
`;
}
