import { describe, expect, it } from "vitest";
import { describeMix, runChaosCaseIsolated } from "../../chaos/suite.ts";

/**
 * Seed 1's rollbacks that used to fail: bad releases and dropped launch events leave the rolled
 * back release's launches held in Pending:Wait (runs 0, 3, 5), one of them a failed surge's
 * extra capacity (run 0), another beside an operator's own scale-out, which must stay (run 6).
 */
const SEED = 1;
const RUNS = [0, 3, 5, 6];

describe(`rollbacks through held launches (chaos seed ${SEED}, runs ${RUNS.join(", ")})`, () => {
  it.each(RUNS)("run %i rolls back and keeps every invariant", async (index) => {
    const result = await runChaosCaseIsolated(SEED, index);
    const label = `${describeMix(result.chaos)} → ${result.outcome}`;
    expect(result.outcome, label).toBe("RolledBack");
    expect(result.violations, label).toEqual([]);
  }, 120_000);
});
