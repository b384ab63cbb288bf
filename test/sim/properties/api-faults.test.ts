import { performance } from "node:perf_hooks";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseScenarioConfig } from "../../../sim/scenarios.ts";
import { simulate } from "../../../sim/simulate.ts";
import { fleetAfterRun, type FleetAfterRun } from "../scenarios/support/promises.ts";

/**
 * Random mixes of API errors and throttling on every service the deploy calls, on a small fleet:
 * whatever the mix, the deploy ends Succeeded or RolledBack with every promise held on the
 * quiescent report. The seed is fixed so that CI runs the same cases; change it to explore.
 */
const SERVICES = ["autoscaling", "elasticloadbalancing", "monitoring", "ec2", "ssm", "states"] as const;
/** Each case is a whole deploy (about 3 s of CPU): kept small so the suite stays quick. */
const RUNS = 10;

const faultArbitrary = fc.record({
  service: fc.constantFrom(...SERVICES),
  kind: fc.constantFrom("throttle" as const, "server-error" as const),
  rate: fc.double({ min: 0.02, max: 0.35, noNaN: true }),
});
const contentionArbitrary = fc.record({
  service: fc.constant("autoscaling" as const),
  kind: fc.constantFrom("resource-contention" as const, "scaling-activity-in-progress" as const),
  rate: fc.double({ min: 0.02, max: 0.35, noNaN: true }),
});
const mixArbitrary = fc.tuple(fc.array(fc.oneof(faultArbitrary, faultArbitrary, contentionArbitrary), { minLength: 1, maxLength: 6 }), fc.integer({ min: 1, max: 1000 }));

const config = (api: unknown[], seed: number) =>
  parseScenarioConfig(
    {
      scenario: "api-fault-mix",
      seed,
      fleet: { desiredCapacity: 4, maxSize: 8 },
      clients: { sessions: 400 },
      faults: { api },
      run: { kind: "rolling-deploy", input: { launchTemplateVersion: "2", batchSize: "50%", minHealthyPercent: 50 } },
    },
    "api-fault-mix",
  );

describe("a rolling deploy under random API errors and throttling on every service", () => {
  it(`keeps every promise (${RUNS} cases)`, async () => {
    let cases = 0;
    const outcomes: Record<string, number> = {};
    await fc.assert(
      fc.asyncProperty(mixArbitrary, async ([api, seed]) => {
        cases += 1;
        const started = performance.now();
        let fleet: FleetAfterRun | undefined;
        const report = await simulate(config(api, seed), { onFinished: async (world) => void (fleet = await fleetAfterRun(world)) });
        outcomes[report.outcome] = (outcomes[report.outcome] ?? 0) + 1;
        console.log(`case ${cases}: ${JSON.stringify(api)} seed ${seed} → ${report.outcome} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
        const label = `${JSON.stringify(api)} seed ${seed}: ${report.outcome} ${report.cause ?? ""}`;
        expect(["Succeeded", "RolledBack"], label).toContain(report.outcome);
        expect(report.quiescence.quiescent, label).toBe(true);
        expect(report.connections.forcedDisconnects, label).toBe(0);
        expect(report.fleet.deregisteredButRunning, label).toBe(0);
        expect(report.fleet.lockHeld, label).toBe(false);
        expect(report.capacity.minHealthyPercent, label).toBeGreaterThanOrEqual(50);
        expect(fleet?.desiredCapacity, label).toBe(4);
        expect(fleet?.maxSize, label).toBe(8);
        expect(fleet?.suspendedProcesses, label).toEqual([]);
        expect(fleet?.deregisteredButRunning, label).toEqual([]);
        expect(fleet?.launchTemplateVersion, label).toBe(report.outcome === "Succeeded" ? "2" : "1");
        expect(report.fleet.versions, label).toEqual(report.outcome === "Succeeded" ? { "2": 4 } : { "1": 4 });
      }),
      { numRuns: RUNS, seed: 20_261_202, endOnFailure: true },
    );
    console.log(`api fault mixes: ${cases} cases, outcomes ${JSON.stringify(outcomes)}`);
    expect(cases).toBe(RUNS);
  }, 600_000);
});
