import { describe, expect, it } from "vitest";
import type { ChaosCase } from "../../../chaos/mix.ts";
import { observeRun } from "../../../chaos/observe.ts";
import { chaosScenario } from "../../../chaos/scenario.ts";
import { violations } from "../../../chaos/invariants/index.ts";

const noFaults = { api: [], lambda: [], controlPlaneOutages: [], crashes: [], flapping: [], sharedOutages: [], unhealthy: [], zoneOutages: [], neverHealthy: [], capacityChanges: [], events: { duplicateRate: 0, delaySeconds: 0, dropRate: 0, jitterSeconds: 0 } };

/**
 * A bad release's first replacement is held in Pending:Wait by Ebb's launch hook (its launch
 * timeout, 900 s, outlasts the deploy's health.timeoutSeconds, 300 s) when the rollback alarm
 * fires. The rollback must replace that launch too: it can be neither drained nor terminated
 * while it waits, so waiting for it to come InService used to end the rollback BatchCannotStart,
 * and the finish then left the group suspended, its deregistration delay raised and the lock held.
 */
const badReleaseCaughtLaunching: ChaosCase = {
  workload: "deploy",
  scenarioSeed: 7,
  desiredCapacity: 3,
  sessions: 300,
  targetRegistration: "ebb",
  deregistrationDelaySeconds: 10,
  terminationPolicy: "default",
  bootFailureRate: 0,
  deploy: { mode: "replace", batchSize: 1, minHealthyPercent: 60, badRelease: true, rollbackAlarmAtSeconds: 340 },
  faults: noFaults,
};

/** The same in surge mode: the held launch is the surge's extra capacity, so abandoning it must not leave it to be replaced. */
const surgeCaughtLaunching: ChaosCase = {
  ...badReleaseCaughtLaunching,
  deploy: { mode: "surge", batchSize: 1, minHealthyPercent: 100, badRelease: true, rollbackAlarmAtSeconds: 250 },
};

/** The rollback itself cannot start (its Lambda is killed every time): the finish must still remove the held surge launch. */
const rollbackNeverStarts: ChaosCase = {
  ...surgeCaughtLaunching,
  faults: { ...noFaults, lambda: [{ function: "begin-rollback", kind: "out-of-memory", rate: 1 }] },
};

describe("rollback of a release whose launch is still held by the launch hook", () => {
  it("abandons the held launch, rolls back and restores the group", async () => {
    const observation = await observeRun(badReleaseCaughtLaunching, chaosScenario(badReleaseCaughtLaunching, "rollback-pending-launch"));
    expect(observation.report.cause ?? "").toContain("RollbackAlarmFired");
    expect(observation.report.outcome).toBe("RolledBack");
    expect(violations(observation)).toEqual([]);
    expect(observation.report.fleet.versions).toEqual({ "1": 3 });
  }, 120_000);

  it("in surge mode abandons the surge launch and brings the desired capacity back down", async () => {
    const observation = await observeRun(surgeCaughtLaunching, chaosScenario(surgeCaughtLaunching, "rollback-pending-surge"));
    expect(observation.report.cause ?? "").toContain("RollbackAlarmFired");
    expect(observation.report.outcome).toBe("RolledBack");
    expect(violations(observation)).toEqual([]);
    expect(observation.report.fleet.versions).toEqual({ "1": 3 });
  }, 120_000);

  it("when the rollback fails, the finish abandons the held surge launch and restores the group", async () => {
    const observation = await observeRun(rollbackNeverStarts, chaosScenario(rollbackNeverStarts, "rollback-never-starts"));
    expect(observation.report.cause ?? "").toContain("RollbackFailed");
    expect(violations(observation).map((violation) => violation.invariant)).toEqual(["run ends Succeeded or RolledBack, never stuck"]);
  }, 120_000);
});
