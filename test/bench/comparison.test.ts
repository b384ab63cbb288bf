import { describe, expect, it } from "vitest";
import { cellConfig, strategyNamed } from "../../bench/comparison/matrix.ts";
import { runCells } from "../../bench/comparison/run-cells.ts";
import { FIGURES } from "../../bench/comparison/rows.ts";

const FIELDS = ["strategy", "fleet", "instances", ...FIGURES].sort();

describe("the strategy comparison's rows", () => {
  it("has every field, and sane values, for Ebb and Instance Refresh at seeds/000's settings on 12 instances", async () => {
    const { rows, outcomes } = await runCells([
      { strategy: strategyNamed("ebb"), fleet: "default", instances: 12 },
      { strategy: strategyNamed("instance-refresh-seed000"), fleet: "default", instances: 12 },
    ]);
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(Object.keys(row).sort()).toEqual(FIELDS);
      for (const figure of FIGURES) expect(Number.isFinite(row[figure]), figure).toBe(true);
      expect(row.instances).toBe(12);
      expect(row.durationSeconds).toBeGreaterThan(0);
      expect(row.lowerBoundSeconds).toBeGreaterThan(0);
      expect(row.overheadRatio).toBeCloseTo(row.durationSeconds / row.lowerBoundSeconds, 2);
      expect(row.minHealthyPercent).toBeGreaterThanOrEqual(0);
      expect(row.minHealthyPercent).toBeLessThanOrEqual(100);
      expect(row.apiCallsPerReplacedInstance).toBeGreaterThan(0);
      expect(row.wallSeconds).toBeGreaterThan(0);
    }
    const [ebb, refresh] = rows;
    expect(outcomes.map((each) => each.outcome)).toEqual(["Succeeded", "Succeeded"]);
    expect(ebb?.forcedDisconnects).toBe(0);
    expect(ebb?.handoffsPerSession).toBeGreaterThanOrEqual(1);
    expect(ebb?.minHealthyPercent).toBeGreaterThanOrEqual(75);
    expect(ebb?.stateTransitionsPerInstance).toBeGreaterThan(0);
    expect(ebb?.costUsd).toBeGreaterThan(0);
    // Instance Refresh only waits the 30 s delay: the instances still hold connections when they go.
    expect(refresh?.forcedDisconnects).toBeGreaterThan(0);
    expect(refresh?.minHealthyPercent).toBeGreaterThanOrEqual(50);
    expect(refresh?.stateTransitionsPerInstance).toBe(0);
  });

  it("sets each baseline up as it is documented", () => {
    const defaults = cellConfig({ strategy: strategyNamed("instance-refresh-defaults"), fleet: "default", instances: 100 });
    const seed000 = cellConfig({ strategy: strategyNamed("instance-refresh-seed000"), fleet: "default", instances: 100 });
    const hooks = cellConfig({ strategy: strategyNamed("instance-refresh-hooks"), fleet: "chatpulse", instances: 12 });
    expect(defaults.run.kind === "rolling-deploy" && defaults.run.refreshPreferences).toBe("aws-defaults");
    expect(defaults.fleet.desiredCapacity).toBe(100);
    expect(defaults.clients.sessions).toBe(100_000);
    expect(seed000.targetGroup.deregistrationDelaySeconds).toBe(30);
    expect(seed000.run.kind === "rolling-deploy" && seed000.run.input["minHealthyPercent"]).toBe(50);
    expect(hooks.fleet.targetRegistration).toBe("ebb");
    expect(hooks.fleet.lifecycleHooks.map((hook) => hook.transition).sort()).toEqual(["launch", "terminate"]);
    expect(hooks.clients.sessions).toBe(36_000);
  });
});
