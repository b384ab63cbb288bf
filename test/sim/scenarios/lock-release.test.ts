import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { ScenarioConfig } from "../../../sim/config/schema.ts";
import { loadScenario } from "../../../sim/scenarios.ts";
import { simulate } from "../../../sim/simulate.ts";
import { fleetAfterRun, type FleetAfterRun } from "./support/promises.ts";

type State = { Type: string; Catch?: { ErrorEquals: string[]; Next: string }[] };
const rollingDeploy = JSON.parse(readFileSync(new URL("../../../workflows/rolling-deploy.asl.json", import.meta.url), "utf8")) as { States: Record<string, State> };

describe("rolling-deploy after the lock is taken", () => {
  it("gives every Task a States.ALL catcher; the one before (AcquireDeployLock) and every uncatchable error end FAILED, which settle-stopped-deploy settles", () => {
    const uncaught = Object.entries(rollingDeploy.States)
      .filter(([, state]) => state.Type === "Task" && !(state.Catch ?? []).some((catcher) => catcher.ErrorEquals.includes("States.ALL")))
      .map(([name]) => name);
    expect(uncaught).toEqual(["ValidateDeployInput", "AcquireDeployLock"]);
  });
});

/** finish-deploy fails every time the workflow invokes it (Lambda ends it: Lambda.Unknown, retried, then caught). */
function finishAlwaysFails(name: string): ScenarioConfig {
  const config = loadScenario(name);
  return { ...config, faults: { ...config.faults, lambda: [{ function: "finish-deploy", kind: "timeout", rate: 1 }] } };
}

async function run(config: ScenarioConfig) {
  let fleet: FleetAfterRun | undefined;
  const report = await simulate(config, { onFinished: async (world) => void (fleet = await fleetAfterRun(world)) });
  if (fleet === undefined) throw new Error("the run never finished");
  return { report, fleet };
}

describe("a deploy whose clean-up step keeps failing (ReleaseLockAfterFailure / ReleaseLockAfterRollbackFailure)", () => {
  // Step Functions: a Lambda timeout or out-of-memory surfaces as Lambda.Unknown —
  // https://docs.aws.amazon.com/step-functions/latest/dg/bp-lambda-serviceexception.html
  it("ends FAILED in DeployCleanupFailed and is settled from the status-change event: lock released, group as configured", async () => {
    const { report, fleet } = await run(finishAlwaysFails("rolling-deploy"));
    expect(report.outcome).toBe("Failed");
    expect(report.cause).toMatch(/Lambda\.Unknown/);
    expect(report.fleet.lockHeld).toBe(false);
    expect(report.connections.forcedDisconnects).toBe(0);
    expect(fleet.suspendedProcesses).toEqual([]);
    expect(fleet.deregisteredButRunning).toEqual([]);
    expect(fleet.desiredCapacity).toBe(12);
    expect(fleet.maxSize).toBe(24);
    expect(fleet.deregistrationDelaySeconds).toEqual([300]);
  });

  it("after a rollback too", async () => {
    const { report, fleet } = await run(finishAlwaysFails("alarm-rollback"));
    expect(report.outcome).toBe("Failed");
    expect(report.fleet.lockHeld).toBe(false);
    expect(report.connections.forcedDisconnects).toBe(0);
    expect(report.fleet.versions).toEqual({ "1": 12 });
    expect(fleet.launchTemplateVersion).toBe("1");
    expect(fleet.suspendedProcesses).toEqual([]);
    expect(fleet.deregisteredButRunning).toEqual([]);
  });
});
