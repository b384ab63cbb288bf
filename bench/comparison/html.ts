import { STRATEGIES } from "./matrix.ts";
import { FIGURES, type ComparisonRow, type Figure } from "./rows.ts";
import { barChartSvg, escapeXml, legendHtml } from "./svg.ts";

const TITLES: Record<Figure, string> = {
  durationSeconds: "Deploy duration (virtual s)",
  lowerBoundSeconds: "Physical lower bound (s)",
  overheadRatio: "Duration ÷ lower bound",
  controlPlaneSeconds: "Control plane seconds per batch (above the lower bound)",
  forcedDisconnects: "Forced disconnects",
  handoffsPerSession: "Graceful hand-offs per session",
  peakReconnectsPerMinute: "Peak reconnects per minute",
  minHealthyPercent: "Minimum healthy capacity (% of desired)",
  apiCallsPerReplacedInstance: "API calls per replaced instance",
  peakDescribePerSecond: "Peak Describe* calls per second",
  stateTransitionsPerInstance: "Step Functions state transitions per instance",
  maxHistoryEvents: "Largest execution history (events)",
  costUsd: "Cost (USD: Step Functions + Lambda + CloudWatch)",
  wallSeconds: "Simulation wall time (s)",
};

interface BundleRow {
  function: string;
  sizeKb: number;
  coldImportMs: number;
}

interface Outcome {
  strategy: string;
  fleet: string;
  instances: number;
  outcome: string;
  cause?: string;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
const rowsOf = (result: unknown): unknown[] => (isRecord(result) && Array.isArray(result["rows"]) ? result["rows"] : []);

const labelOf = (strategy: string): string => STRATEGIES.find((known) => known.name === strategy)?.label ?? strategy;
const caseLabel = (row: { fleet: string; instances: number }): string => `${row.fleet} · ${row.instances}`;

function chartsHtml(rows: readonly ComparisonRow[]): string {
  const strategies = [...new Set(rows.map((row) => row.strategy))];
  const cases = [...new Map(rows.map((row) => [caseLabel(row), { fleet: row.fleet, instances: row.instances }])).values()];
  const charts = FIGURES.map((figure) => {
    const groups = cases.map((each) => ({
      label: caseLabel(each),
      values: strategies.map((strategy) => rows.find((row) => row.strategy === strategy && caseLabel(row) === caseLabel(each))?.[figure]),
    }));
    return `<figure><figcaption>${escapeXml(TITLES[figure])}</figcaption>${barChartSvg({ title: TITLES[figure], series: strategies.map(labelOf), groups })}</figure>`;
  });
  return `<p class="legend">${legendHtml(strategies.map(labelOf))}</p><div class="charts">${charts.join("\n")}</div>`;
}

function tableHtml(rows: readonly ComparisonRow[], outcomes: readonly Outcome[]): string {
  const header = ["strategy", "fleet", "instances", "outcome", ...FIGURES].map((name) => `<th>${escapeXml(name)}</th>`).join("");
  const body = rows.map((row) => {
    const outcome = outcomes.find((each) => each.strategy === row.strategy && each.fleet === row.fleet && each.instances === row.instances);
    const verdict = outcome === undefined ? "" : `<td class="${outcome.outcome === "Succeeded" ? "ok" : "bad"}" title="${escapeXml(outcome.cause ?? "")}">${escapeXml(outcome.outcome)}</td>`;
    const cells = FIGURES.map((figure) => `<td>${escapeXml(String(row[figure]))}</td>`).join("");
    return `<tr><td>${escapeXml(labelOf(row.strategy))}</td><td>${escapeXml(row.fleet)}</td><td>${row.instances}</td>${verdict || "<td></td>"}${cells}</tr>`;
  });
  return `<div class="scroll"><table><tr>${header}</tr>${body.join("")}</table></div>`;
}

function bundlesHtml(rows: readonly BundleRow[]): string {
  const body = rows.map((row) => `<tr><td>${escapeXml(row.function)}</td><td>${row.sizeKb}</td><td>${row.coldImportMs}</td></tr>`).join("");
  return `<h2>Lambda bundles</h2><table><tr><th>function</th><th>size (KB)</th><th>cold import (ms)</th></tr>${body}</table>`;
}

const isBundleRow = (row: unknown): row is BundleRow => isRecord(row) && typeof row["function"] === "string" && typeof row["sizeKb"] === "number" && typeof row["coldImportMs"] === "number";

/** bench/results.html: the strategy comparison side by side (one chart per figure, then the table) and, when measured, the bundle table. */
export function renderResultsHtml(results: Readonly<Record<string, unknown>>): string {
  const comparison = results["strategy-comparison"];
  const rows = rowsOf(comparison) as ComparisonRow[];
  const outcomes = (isRecord(comparison) && Array.isArray(comparison["outcomes"]) ? comparison["outcomes"] : []) as Outcome[];
  const bundles = rowsOf(results["lambda-bundles"]).filter(isBundleRow);
  const ranAt = isRecord(comparison) && typeof comparison["ranAt"] === "string" ? comparison["ranAt"] : "";
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Ebb benchmarks: Ebb vs the baselines</title>
<style>
body{font-family:system-ui,sans-serif;margin:2rem;max-width:1500px}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(740px,1fr));gap:1rem}
figure{margin:0}figcaption{font-weight:600;margin-bottom:.3rem}
table{border-collapse:collapse;font-size:13px}th,td{padding:.2rem .5rem;text-align:right;border-bottom:1px solid #ddd}
th:first-child,td:first-child{text-align:left}.scroll{overflow:auto}
.key{margin-right:1rem}.swatch{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:middle}
.ok{color:#1b7f5b}.bad{color:#c0392b;font-weight:600}
</style></head><body>
<h1>Ebb vs the baselines</h1>
${rows.length === 0 ? "<p>No strategy comparison in results.json: run <code>npm run bench strategy-comparison</code>.</p>" : `<p>Same emulator, same seeds: each strategy rolls every instance of the fleet to the new launch template version. Groups are fleet · instances. ${ranAt ? `Measured ${escapeXml(ranAt)}.` : ""}</p>
${chartsHtml(rows)}
<h2>All figures</h2>
${tableHtml(rows, outcomes)}`}
${bundles.length > 0 ? bundlesHtml(bundles) : ""}
</body></html>
`;
}
