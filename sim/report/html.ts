import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { outcomeStatus, phaseSegments, reconnectBars, reportTitle } from "./html-data.ts";
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
    ["Peak reconnects per minute", report.connections.peakReconnectsPerMinute],
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
  const title = reportTitle(report);
  const status = outcomeStatus(report.outcome);
  const charts = { samples: report.timeline.samples, segments: phaseSegments(report), reconnects: reconnectBars(report), end: report.durationSeconds };
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>
body{font-family:system-ui,sans-serif;margin:2rem;max-width:1100px}
.grid{display:grid;grid-template-columns:1fr 1fr;gap:1.5rem}
table{border-collapse:collapse}th,td{padding:.2rem .8rem;text-align:left;border-bottom:1px solid #ddd}
.phases{max-height:320px;overflow:auto}
.status{padding:.6rem 1rem;border-radius:4px;font-weight:600}
.status.success{background:#e3f5e1;color:#1d5e17}.status.warning{background:#fff1d6;color:#7a4b00}.status.failure{background:#fde2e1;color:#8a1c13}
</style></head><body>
<h1>${escapeHtml(title)}</h1>
<p class="status ${status.tone}" data-outcome="${escapeHtml(report.outcome)}">${escapeHtml(status.label)}</p>
${report.cause ? `<p><strong>Cause:</strong> ${escapeHtml(report.cause)}</p>` : ""}
<table>${rows.join("")}</table>
<h2>Batch phases</h2>
<div><canvas id="lanes"></canvas></div>
<div class="grid">
<div><h2>Healthy capacity (instances)</h2><canvas id="capacity"></canvas></div>
<div><h2>Connections per instance</h2><canvas id="connections"></canvas></div>
<div><h2>Forced disconnects and hand-offs</h2><canvas id="disconnects"></canvas></div>
<div><h2>Reconnects per minute</h2><canvas id="reconnects"></canvas></div>
</div>
<h2>Batch phase marks</h2>
<div class="phases"><table><tr><th>t (s)</th><th>batch</th><th>phase</th></tr>${phases.join("")}</table></div>
<script>${chartJs}</script>
<script>
const data = ${embed(charts)};
const time = { type: "linear", min: 0, max: data.end, title: { display: true, text: "virtual seconds" } };
const lanes = [...new Set(data.segments.map((s) => s.lane))];
const phaseNames = [...new Set(data.segments.map((s) => s.phase))];
const palette = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"];
const colour = (phase) => palette[phaseNames.indexOf(phase) % palette.length];
// Batch lanes: one floating bar per phase on its batch's row, on the same time axis as the charts below.
new Chart(document.getElementById("lanes"), {
  type: "bar",
  data: { labels: lanes, datasets: phaseNames.map((phase) => ({ label: phase, backgroundColor: colour(phase), grouped: false,
    data: data.segments.filter((s) => s.phase === phase).map((s) => ({ x: [s.from, s.to], y: s.lane })) })) },
  options: { animation: false, indexAxis: "y", scales: { x: time, y: { type: "category", labels: lanes } } },
});
// Each chart below carries the batches as shaded boxes on its time axis (one box per batch, from its first mark to its last).
const batchSpans = lanes.filter((lane) => lane !== "deploy").map((lane) => {
  const own = data.segments.filter((s) => s.lane === lane);
  return { lane, from: Math.min(...own.map((s) => s.from)), to: Math.max(...own.map((s) => s.to)) };
});
const spans = { id: "batchSpans", beforeDatasetsDraw(chart) {
  const { ctx, chartArea, scales } = chart;
  ctx.save();
  batchSpans.forEach((span, index) => {
    const left = scales.x.getPixelForValue(span.from), right = scales.x.getPixelForValue(span.to);
    ctx.fillStyle = index % 2 === 0 ? "rgba(78,121,167,0.08)" : "rgba(242,142,43,0.08)";
    ctx.fillRect(left, chartArea.top, right - left, chartArea.bottom - chartArea.top);
    ctx.fillStyle = "#666"; ctx.font = "10px sans-serif"; ctx.fillText(span.lane.replace("batch ", "b"), left + 2, chartArea.top + 10);
  });
  ctx.restore();
} };
const points = (key) => data.samples.map((s) => ({ x: s.t, y: s[key] }));
const line = (id, datasets, y) => new Chart(document.getElementById(id), {
  type: "line",
  data: { datasets: datasets.map(([label, values]) => ({ label, data: values, pointRadius: 0, borderWidth: 2 })) },
  options: { animation: false, scales: { x: time, y: { min: 0, ...y } } },
  plugins: [spans],
});
const wholeInstances = { ticks: { stepSize: 1, precision: 0 }, title: { display: true, text: "instances" } };
line("capacity", [["healthy", points("healthyInstances")], ["in service", points("inServiceInstances")]], wholeInstances);
line("connections", [["min", points("connectionsMin")], ["mean", points("connectionsMean")], ["max", points("connectionsMax")]], { title: { display: true, text: "connections" } });
line("disconnects", [["forced (cumulative)", points("forcedDisconnects")], ["graceful (cumulative)", points("gracefulHandoffs")]], { title: { display: true, text: "connections" } });
new Chart(document.getElementById("reconnects"), {
  type: "bar",
  data: { datasets: [{ label: "reconnects in the minute", data: data.reconnects.map((count, minute) => ({ x: minute * 60 + 30, y: count })), barPercentage: 1, categoryPercentage: 1 }] },
  options: { animation: false, scales: { x: { ...time, max: Math.max(data.end, data.reconnects.length * 60) }, y: { min: 0, ticks: { precision: 0 }, title: { display: true, text: "reconnects per minute" } } } },
  plugins: [spans],
});
</script>
</body></html>
`;
}
