import { describe, expect, it } from "vitest";
import { loadScenario } from "../../../sim/scenarios.ts";
import { simulate } from "../../../sim/simulate.ts";
import type { SimulationReport } from "../../../sim/report/report.ts";
import type { World } from "../../../sim/world.ts";
import { fleetAfterRun, type FleetAfterRun } from "./support/promises.ts";

interface Run {
  report: SimulationReport;
  fleet: FleetAfterRun;
  /** Instances that got the drain signal before they were InService (launching). */
  drainedWhileLaunching: string[];
  /** Each batch's instances, in order (the timeline's drains). */
  batches: string[][];
}

function drainedWhileLaunching(world: World): string[] {
  return world.ssm
    .invocations()
    .filter(({ invocation }) => invocation.command.commands.some((command) => command.includes("ebb-drain")))
    .filter(({ invocation }) => {
      const inServiceAtMs = world.autoscaling.instance(invocation.instanceId)?.inServiceAtMs;
      return inServiceAtMs === undefined || inServiceAtMs > invocation.command.requestedAtMs;
    })
    .map(({ invocation }) => invocation.instanceId);
}

async function run(name: string): Promise<Run> {
  let seen: Omit<Run, "report" | "batches"> | undefined;
  const report = await simulate(loadScenario(name), {
    onFinished: async (world) => {
      seen = { fleet: await fleetAfterRun(world), drainedWhileLaunching: drainedWhileLaunching(world) };
    },
  });
  if (seen === undefined) throw new Error("the run never finished");
  return { report, ...seen, batches: report.timeline.drains.map((drain) => Object.keys(drain.connections)) };
}

function expectGroupAsConfigured(name: string, fleet: FleetAfterRun, launchTemplateVersion: string): void {
  const config = loadScenario(name);
  expect(fleet.desiredCapacity).toBe(config.fleet.desiredCapacity);
  expect(fleet.launchTemplateVersion).toBe(launchTemplateVersion);
  expect(fleet.suspendedProcesses).toEqual([]);
  expect(fleet.deregisteredButRunning).toEqual([]);
}

describe("rollback-while-launching scenario (the rollback alarm fires while batch 1's replacements wait in a launch hook)", () => {
  // Amazon EC2 Auto Scaling lifecycle hooks: a launching instance waits in Pending:Wait until the action completes or
  // its heartbeat times out — https://docs.aws.amazon.com/autoscaling/ec2/userguide/lifecycle-hooks-overview.html
  it("waits until they are InService before its batch takes them, then ends RolledBack with every instance on version 1", async () => {
    const { report, fleet, drainedWhileLaunching: early } = await run("rollback-while-launching");
    expect(report.outcome, report.cause).toBe("RolledBack");
    expect(early).toEqual([]);
    expect(report.connections.forcedDisconnects).toBe(0);
    expect(report.fleet.versions).toEqual({ "1": 12 });
    expect(report.fleet.lockHeld).toBe(false);
    expect(report.fleet.deregisteredButRunning).toBe(0);
    expect(report.capacity.minHealthyPercent).toBeGreaterThanOrEqual(75);
    expectGroupAsConfigured("rollback-while-launching", fleet, "1");
  });
});

describe("unhealthy-at-start scenario (an old instance fails its target group health checks before the deploy)", () => {
  it("takes the unhealthy instance first and counts it against the budget: healthy capacity never below minHealthyPercent", async () => {
    const { report, fleet, batches } = await run("unhealthy-at-start");
    expect(report.outcome, report.cause).toBe("Succeeded");
    // Launch index 5 is the sixth instance; it goes in the first batch, with only two healthy ones.
    expect(batches[0]?.[0]).toBe("i-0000000000000006");
    expect(batches[0]).toHaveLength(3);
    expect(report.capacity.minHealthyPercent).toBeGreaterThanOrEqual(75);
    expect(report.connections.forcedDisconnects).toBe(0);
    expect(report.fleet.versions).toEqual({ "2": 12 });
    expect(report.fleet.lockHeld).toBe(false);
    expectGroupAsConfigured("unhealthy-at-start", fleet, "2");
  });
});

describe("unhealthy-mid-deploy scenario (an old instance outside the batch fails its health checks during a bake and stays down)", () => {
  it("pauses, rolls back with that reason, and re-plans the rollback's batches against it: two per batch, one batch more", async () => {
    const { report, fleet, batches } = await run("unhealthy-mid-deploy");
    expect(report.outcome).toBe("RolledBack");
    expect(report.cause).toMatch(/CapacityLost: .*i-000000000000000c/);
    // Two deploy batches of 3, then the rollback: 11 serving of 12 against a floor of 9 lets two leave at a time.
    expect(batches.map((batch) => batch.length)).toEqual([3, 3, 2, 2, 2]);
    expect(report.capacity.minHealthyPercent).toBeGreaterThanOrEqual(75);
    expect(report.connections.forcedDisconnects).toBe(0);
    expect(report.fleet.versions).toEqual({ "1": 12 });
    expect(report.fleet.lockHeld).toBe(false);
    expectGroupAsConfigured("unhealthy-mid-deploy", fleet, "1");
  });
});

// Amazon EC2 Auto Scaling API Reference, SetDesiredCapacity: anyone may change the desired capacity while a deploy
// runs; the suspended processes (AZRebalance, AlarmNotification, ScheduledActions, ReplaceUnhealthy) do not stop it.
describe("scale-out-during-deploy scenario (someone raises the desired capacity from 12 to 15 mid-deploy)", () => {
  it("keeps the change and carries on: the new instances already run the target version, nothing is reverted", async () => {
    const { report, fleet } = await run("scale-out-during-deploy");
    expect(report.outcome, report.cause).toBe("Succeeded");
    expect(report.connections.forcedDisconnects).toBe(0);
    expect(report.fleet.versions).toEqual({ "2": 15 });
    expect(fleet.desiredCapacity).toBe(15);
    expect(report.capacity.minHealthyPercent).toBeGreaterThanOrEqual(75);
    expect(report.fleet.lockHeld).toBe(false);
    expect(fleet.suspendedProcesses).toEqual([]);
    expect(fleet.deregisteredButRunning).toEqual([]);
  });
});

describe("scale-in-during-deploy scenario (someone lowers the desired capacity from 12 to 9 mid-deploy)", () => {
  it("rolls back with that reason, keeps the operator's capacity, never counts the removed instances as progress", async () => {
    const { report, fleet } = await run("scale-in-during-deploy");
    expect(report.outcome).toBe("RolledBack");
    expect(report.cause).toMatch(/desired capacity was changed from 12 to 9 by someone else/);
    expect(report.connections.forcedDisconnects).toBe(0);
    expect(report.fleet.versions).toEqual({ "1": 9 });
    expect(fleet.desiredCapacity).toBe(9);
    expect(fleet.launchTemplateVersion).toBe("1");
    expect(report.fleet.lockHeld).toBe(false);
    expect(fleet.suspendedProcesses).toEqual([]);
    expect(fleet.deregisteredButRunning).toEqual([]);
    // The terminate hooks of the operator's scale in outlive the deploy: they finish while the world settles.
    expect(report.lifecycle).toMatchObject({ timedOut: 0, duplicateCompletions: 0 });
  });
});
