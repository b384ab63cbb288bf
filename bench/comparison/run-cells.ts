import { simulate } from "../../sim/simulate.ts";
import { cellConfig, type Cell } from "./matrix.ts";
import { rowOf, type ComparisonRow } from "./rows.ts";

/** How a run ended, beside its row (a stopped or rolled-back run must not read as a success). */
export interface CellOutcome {
  strategy: string;
  fleet: string;
  instances: number;
  outcome: string;
  cause?: string;
}

export interface CellsRun {
  rows: ComparisonRow[];
  outcomes: CellOutcome[];
}

/** Simulates each cell in turn on a fresh emulated account. */
export async function runCells(cells: readonly Cell[], log: (line: string) => void = () => undefined): Promise<CellsRun> {
  const rows: ComparisonRow[] = [];
  const outcomes: CellOutcome[] = [];
  for (const cell of cells) {
    const report = await simulate(cellConfig(cell), { strategy: cell.strategy.strategy });
    const row = rowOf(cell.strategy.name, cell.fleet, cell.instances, report);
    rows.push(row);
    outcomes.push({ strategy: row.strategy, fleet: row.fleet, instances: row.instances, outcome: report.outcome, ...(report.cause === undefined ? {} : { cause: report.cause }) });
    log(`${row.strategy} ${row.fleet} ${row.instances}: ${report.outcome}, ${row.durationSeconds} s virtual, ${row.forcedDisconnects} forced, ${row.wallSeconds} s wall`);
  }
  return { rows, outcomes };
}
