import { allCells } from "../comparison/matrix.ts";
import { runCells } from "../comparison/run-cells.ts";
import type { ComparisonRow } from "../comparison/rows.ts";
import { round } from "../measure.ts";
import type { Benchmark } from "../registry.ts";

const ebbAt = (rows: readonly ComparisonRow[], instances: number): ComparisonRow[] => rows.filter((row) => row.strategy === "ebb" && row.instances === instances);
const most = (rows: readonly ComparisonRow[], pick: (row: ComparisonRow) => number): number => Math.max(0, ...rows.map(pick));

/** Ebb against the baselines on the same emulator and seeds: five strategies, two fleets, three sizes. */
export const strategyComparison: Benchmark = {
  name: "strategy-comparison",
  description: "Ebb vs rolling-deploy.sh vs Instance Refresh (AWS defaults, seeds/000, + Ebb's hooks) at 12, 100 and 1,000 instances on the default and ChatPulse fleets",
  targets: { ebbForcedDisconnects: 0, ebbOverheadRatioAt1000: 1.05, ebbPeakDescribePerSecondAt1000: 10 },
  async run() {
    const started = performance.now();
    const { rows, outcomes } = await runCells(allCells(), (line) => console.error(`  ${line}`));
    return {
      figures: {
        ebbForcedDisconnects: most(rows.filter((row) => row.strategy === "ebb"), (row) => row.forcedDisconnects),
        ebbOverheadRatioAt1000: most(ebbAt(rows, 1000), (row) => row.overheadRatio),
        ebbPeakDescribePerSecondAt1000: most(ebbAt(rows, 1000), (row) => row.peakDescribePerSecond),
        runs: rows.length,
        wallSeconds: round((performance.now() - started) / 1000, 1),
      },
      rows,
      outcomes,
    };
  },
};
