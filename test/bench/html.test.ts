import { describe, expect, it } from "vitest";
import { renderResultsHtml } from "../../bench/comparison/html.ts";
import { FIGURES, type ComparisonRow } from "../../bench/comparison/rows.ts";

const row = (strategy: string, instances: number, scale: number): ComparisonRow => ({
  strategy,
  fleet: "default",
  instances,
  ...(Object.fromEntries(FIGURES.map((figure, index) => [figure, 10 + index * scale])) as Record<(typeof FIGURES)[number], number>),
});

const comparison = {
  description: "test",
  figures: {},
  ranAt: "2026-01-01T00:00:00.000Z",
  rows: [row("ebb", 12, 1), row("seed-script", 12, 3), row("ebb", 100, 2), row("seed-script", 100, 5)],
  outcomes: [{ strategy: "seed-script", fleet: "default", instances: 100, outcome: "Aborted", cause: "still running" }],
};

const svgs = (html: string): string[] => html.match(/<svg[\s\S]*?<\/svg>/g) ?? [];

describe("bench/results.html", () => {
  it("draws one self-contained chart per figure, every value axis from 0, and the table", () => {
    const html = renderResultsHtml({ "strategy-comparison": comparison });
    const charts = svgs(html);
    expect(charts).toHaveLength(FIGURES.length);
    for (const chart of charts) {
      // Two cases × two strategies: four bars, and a tick labelled 0 at the bottom of the axis.
      expect(chart.match(/<rect /g)).toHaveLength(4);
      const ticks = [...chart.matchAll(/text-anchor="end" font-size="11">([^<]+)</g)].map((match) => Number((match[1] ?? "").replaceAll(",", "")));
      expect(ticks[0]).toBe(0);
    }
    expect(html).not.toMatch(/<script|<link|src=|url\(/);
    expect(html).toContain("Ebb (rolling deploy)");
    expect(html).toContain("rolling-deploy.sh (seeds/004)");
    expect(html).toContain('class="bad" title="still running">Aborted');
    expect(html.match(/<tr><td>/g)).toHaveLength(4);
    expect(html).not.toContain("Lambda bundles");
  });

  it("adds the bundle table when the lambda-bundles benchmark is in the results, escaping what it shows", () => {
    const html = renderResultsHtml({
      "strategy-comparison": comparison,
      "lambda-bundles": { rows: [{ function: "deploy<batch>", sizeKb: 412, coldImportMs: 87 }] },
    });
    expect(html).toContain("<h2>Lambda bundles</h2>");
    expect(html).toContain("<td>deploy&lt;batch&gt;</td><td>412</td><td>87</td>");
  });

  it("says how to get a comparison when results.json has none", () => {
    expect(renderResultsHtml({})).toContain("npm run bench strategy-comparison");
  });
});
