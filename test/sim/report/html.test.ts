import { beforeAll, describe, expect, it } from "vitest";
import { outcomeStatus, phaseSegments, reconnectBars } from "../../../sim/report/html-data.ts";
import { renderHtmlReport } from "../../../sim/report/html.ts";
import type { SimulationReport } from "../../../sim/report/report.ts";
import { loadScenario } from "../../../sim/scenarios.ts";
import { simulate } from "../../../sim/simulate.ts";

/** The page's embedded chart data (the one `const data = ...;` line). */
function chartData(html: string): { segments: { lane: string; phase: string; from: number; to: number }[]; reconnects: number[]; end: number } {
  const line = /const data = (.*);\n/.exec(html)?.[1];
  if (line === undefined) throw new Error("no chart data in the page");
  return JSON.parse(line) as ReturnType<typeof chartData>;
}

describe("the HTML report", () => {
  let rolledBack: SimulationReport;
  let html: string;
  beforeAll(async () => {
    rolledBack = await simulate(loadScenario("alarm-rollback"));
    html = await renderHtmlReport(rolledBack);
  }, 60_000);

  it("says a rolled back run is not a success, in the title and the status, and names the strategy", () => {
    expect(rolledBack.outcome).toBe("RolledBack");
    expect(html).toMatch(/<title>Ebb simulation: alarm-rollback, strategy ebb \(seed 1\): RolledBack<\/title>/);
    expect(html).toMatch(/<p class="status warning" data-outcome="RolledBack">Rolled back: /);
    expect(html).not.toMatch(/class="status success"/);
    expect(outcomeStatus("Succeeded").tone).toBe("success");
    for (const outcome of ["RolledBack", "Failed", "Aborted", "Unsettled"] as const) expect(outcomeStatus(outcome).tone).not.toBe("success");
  });

  it("draws capacity from 0 in whole instances, and every chart's time axis over the whole run", () => {
    expect(html).toContain("scales: { x: time, y: { min: 0, ...y } }");
    expect(html).toContain("const wholeInstances = { ticks: { stepSize: 1, precision: 0 }");
    expect(html).toContain('line("capacity", [["healthy", points("healthyInstances")], ["in service", points("inServiceInstances")]], wholeInstances);');
    expect(html).toContain('const time = { type: "linear", min: 0, max: data.end');
    expect(chartData(html).end).toBe(rolledBack.durationSeconds);
  });

  it("gives each batch, deploy and rollback, its own lane of phases", () => {
    // The alarm fires while batch 1 verifies its health: the rollback replaces batch 1 again.
    const lanes = [...new Set(chartData(html).segments.map((segment) => segment.lane))];
    expect(lanes).toEqual(["deploy", "batch 1", "rollback batch 1"]);
    for (const segment of phaseSegments(rolledBack)) expect(segment.to).toBeGreaterThanOrEqual(segment.from);
  });

  it("charts reconnects as one bar per minute up to the run's end, quiet minutes included", () => {
    const bars = chartData(html).reconnects;
    expect(bars.length).toBeGreaterThanOrEqual(Math.ceil(rolledBack.durationSeconds / 60));
    expect(bars.reduce((sum, count) => sum + count, 0)).toBe(rolledBack.timeline.reconnectsPerMinute.reduce((sum, count) => sum + count, 0));
    const shortRun = { ...rolledBack, durationSeconds: 600, timeline: { ...rolledBack.timeline, reconnectsPerMinute: [5] } };
    expect(reconnectBars(shortRun)).toEqual([5, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(html).toMatch(/type: "bar",\n  data: \{ datasets: \[\{ label: "reconnects in the minute"/);
  });
});
