import { describe, expect, it } from "vitest";
import { describeGroup } from "../../../core/fleet.ts";
import { acquireLock, releaseLock } from "../../../core/lock.ts";
import { holdHealthReplacement } from "../../../core/remediation/outage.ts";
import { createRemediation, getRemediation } from "../../../core/remediation/record.ts";
import { startRemediationDrain } from "../../../core/remediation/drain-step.ts";
import { finishRemediation } from "../../../core/remediation/episode.ts";
import { runtime } from "../../../core/runtime.ts";
import { installLocalEbb } from "../../../sim/local/ebb.ts";
import type { SimulationReport } from "../../../sim/report/report.ts";
import { World } from "../../../sim/world.ts";
import { loadScenario } from "../../../sim/scenarios.ts";
import { simulate, warmUpSeconds } from "../../../sim/simulate.ts";

/**
 * Remediation scenarios end to end: the emulator's CloudWatch evaluates the remediation alarms
 * infra/ defines, the bus routes their state changes to functions/remediate-alarm.ts, and the
 * real workflows/remediate.asl.json runs in aws-local-stepfunctions. Assertions are on the
 * quiescent report only. Every fault starts 600 s into the scenario.
 */

const FAULT_AT = 600;
const GROUP = "ebb-demo-asg";
const run = (name: string) => simulate(loadScenario(name));

/** The promises every remediation run keeps, whatever it decided. */
function expectFleetIntact(report: SimulationReport, desiredCapacity = 12): void {
  expect(report.outcome, report.cause).toBe("Succeeded");
  expect(report.quiescence.quiescent, report.quiescence.unsettled.join(", ")).toBe(true);
  expect(report.fleet.deregisteredButRunning).toBe(0);
  expect(report.fleet.unregisteredInService).toBe(0);
  expect(report.fleet.lockHeld).toBe(false);
  expect(report.fleet.desiredCapacity).toBe(desiredCapacity);
  // ReplaceUnhealthy is Ebb's standing hold; an outage's HealthCheck suspension is always lifted.
  expect(report.fleet.suspendedProcesses).toEqual(["ReplaceUnhealthy"]);
  expect(report.instances.terminatedWithoutDrain).toBe(0);
}

/** Virtual seconds from the fault until healthy capacity was full again (the timeline counts from the run's start, after the warm-up). */
const recoverySeconds = (report: SimulationReport): number | undefined => {
  const back = report.remediation?.healthyCapacity.backToFullAt;
  return back === undefined ? undefined : back + warmUpSeconds(loadScenario(report.scenario)) - FAULT_AT;
};

describe("remediation scenarios (12 instances over 3 AZs, the ASG's ELB health check on)", () => {
  it("unhealthy-host: the host is drained (clients handed off, none cut) and replaced, once", async () => {
    const report = await run("unhealthy-host");
    expectFleetIntact(report);
    expect(report.instances.remediated).toBe(1);
    expect(report.instances.replacedByAsg).toBe(0);
    expect(report.instances.terminated).toBe(1);
    expect(report.remediation?.replacedByEbb).toBe(1);
    expect(report.connections.forcedDisconnects).toBe(0);
    expect(report.connections.gracefulHandoffs).toBeGreaterThan(500);
    expect(report.remediation?.notRemediated).toEqual([]);
    // Measured 330 s (430 s before capacity first): the alarm (2 periods of 60 s, each readable 60 s
    // after its minute ends: CloudWatch's ingestion delay), 2 more reads spaced by the healthy threshold
    // (30 s each), then the replacement, launched before the drain, boots (60 s) while the host sheds,
    // and passes HealthyThresholdCount checks (its first ones fail while it boots). Above this is a regression.
    expect(recoverySeconds(report)).toBeLessThanOrEqual(340);
    expect(report.fleet.desiredCapacity).toBe(12);
  });

  it("host-crash: the crashed host (its clients cut by the crash, not by Ebb) is replaced, its drain ending once EC2 finds it impaired", async () => {
    // When the crashed host (launch index 3) leaves for termination: remediation's step right after its drain.
    let terminatingAtMs: number | undefined;
    let world: World | undefined;
    const report = await simulate(loadScenario("host-crash"), {
      onStart: (started) => {
        world = started;
        started.observe({ step: (nowMs) => {
          if (terminatingAtMs === undefined && started.autoscaling.instanceByLaunchIndex(3)?.lifecycleState.startsWith("Terminat") === true) terminatingAtMs = nowMs;
        } });
      },
    });
    expectFleetIntact(report);
    expect(report.instances.remediated).toBe(1);
    expect(report.connections.forcedDisconnectsBy).toMatchObject({ termination: 0, "deregistration-delay": 0 });
    expect(report.connections.forcedDisconnectsBy.crash).toBe(report.connections.forcedDisconnects);
    expect(report.connections.forcedDisconnects).toBeGreaterThan(0);
    const warmUp = warmUpSeconds(loadScenario("host-crash"));
    const drainStartedAt = (report.timeline.drains[0]?.t ?? Number.NaN) + warmUp;
    const drainSeconds = ((terminatingAtMs ?? Number.POSITIVE_INFINITY) - (world?.startMs ?? 0)) / 1000 - drainStartedAt;
    // Measured 27 s from the drain's start to the termination (it was 302 s: the whole 300 s deregistration delay of a host that could shed
    // nothing). EC2's status check is impaired 180 s after the crash, before the alarm (2 periods)
    // starts the drain, so the first polls find it dead.
    expect(drainSeconds).toBeLessThan(60);
    // Capacity first: the replacement launched before the drain, so back to full is the same either way (330 s after the crash).
    expect(recoverySeconds(report)).toBeLessThanOrEqual(340);
  });

  it("shared-outage: nothing is terminated, the ASG's own health replacement included; the outage is reported; the fleet is intact after", async () => {
    const [withEbb, without] = [await run("shared-outage"), await run("shared-outage-without-ebb")];
    expectFleetIntact(withEbb);
    expect(withEbb.instances.terminated).toBe(0);
    expect(withEbb.instances.remediated).toBe(0);
    expect(withEbb.instances.replacedByAsg).toBe(0);
    expect(withEbb.connections.forcedDisconnects).toBe(0);
    expect(withEbb.remediation?.outagesDetected).toHaveLength(1);
    expect(withEbb.remediation?.outagesDetected[0]).toMatchObject({ reason: "every target is unhealthy (12 of 12)" });
    expect(withEbb.remediation?.outagesDetected[0]?.endedAt).toBeDefined();
    expect(withEbb.fleet.versions).toEqual({ "1": 12 });
    // The same world without Ebb: the ASG replaces every instance (and the replacements, failing too), cutting their clients.
    expect(without.strategy).toBe("none");
    // Those are the ASG's own replacements, never counted as remediations.
    expect(without.instances.remediated).toBe(0);
    expect(without.instances.replacedByAsg).toBeGreaterThanOrEqual(12);
    expect(without.remediation?.replacedForHealth).toHaveLength(without.instances.replacedByAsg);
    expect(without.connections.forcedDisconnectsBy.termination).toBeGreaterThan(10_000);
  });

  it("az-outage: most of one zone failing is a shared cause; Ebb replaces nothing and reports it", async () => {
    const report = await run("az-outage");
    expectFleetIntact(report);
    expect(report.instances.terminated).toBe(0);
    expect(report.remediation?.outagesDetected.map((outage) => outage.reason)).toEqual(["4 of 4 targets in us-east-1b are unhealthy, more than 0.5 of the zone"]);
  });

  it("flapping-host: quarantined (drained, left out, rechecked), never terminated", async () => {
    const report = await run("flapping-host");
    expectFleetIntact(report);
    expect(report.instances.terminated).toBe(0);
    expect(report.remediation?.quarantines).toBeGreaterThanOrEqual(1);
    expect(report.connections.forcedDisconnects).toBe(0);
  });

  it("remediation-storm: never more replacements than the budget; the rest is reported with the reason", async () => {
    const report = await run("remediation-storm");
    expectFleetIntact(report);
    expect(report.instances.remediated).toBe(2);
    expect(report.remediation?.notRemediated.map((entry) => entry.reason)).toEqual([
      "budget spent: 2 replacement(s) per 3600 s",
      "budget spent: 2 replacement(s) per 3600 s",
    ]);
    expect(report.connections.forcedDisconnects).toBe(0);
  });

  it("small-pool: 2 of 4 failing is within the guard's absolute allowance, so the pool is repaired", async () => {
    const report = await run("small-pool");
    expectFleetIntact(report, 4);
    expect(report.instances.remediated).toBe(2);
    expect(report.remediation?.outagesDetected).toEqual([]);
    expect(report.remediation?.healthyCapacity.backToFullAt).toBeDefined();
  });
});

describe("remediation is idempotent per alarm episode and waits for deploys", () => {
  it("a duplicated alarm event (EventBridge delivers at least once) starts one execution and one replacement", async () => {
    const config = loadScenario("unhealthy-host");
    const report = await simulate({ ...config, faults: { ...config.faults, events: { ...config.faults.events, duplicateRate: 1 } } });
    expectFleetIntact(report);
    expect(report.stepFunctions.executions).toBe(1);
    expect(report.instances.remediated).toBe(1);
  });

  it("queues while a deploy holds the group's lock, then replaces the host once the deploy is done", async () => {
    const world = new World(loadScenario("unhealthy-host"));
    world.advance(warmUpSeconds(world.config));
    await world.events.flush();
    const ebb = await installLocalEbb(world, { remediation: true });
    try {
      const rt = runtime();
      await holdHealthReplacement(rt, await describeGroup(rt.clients.autoScaling, GROUP));
      await acquireLock(rt, GROUP, "deploy-under-way", "deploy");
      const { timeline } = ebb.stepFunctions;
      const sleeper = timeline.join();
      const until = async (elapsedSeconds: number): Promise<void> => {
        while (world.elapsedSeconds < elapsedSeconds) await timeline.sleepUntil(sleeper, world.clock.nowMs + 1000);
      };
      await until(1200);
      const [episode] = ebb.stepFunctions.executions();
      expect(episode?.summary().status).toBe("RUNNING");
      const queued = await getRemediation(rt, episode?.summary().name ?? "");
      expect(queued.queuedSince).toBeDefined();
      expect(world.stats.instancesTerminated).toBe(0);
      await releaseLock(rt, GROUP, "deploy-under-way");
      await until(1800);
      timeline.leave(sleeper);
      expect((await episode?.done)?.status).toBe("SUCCEEDED");
      const done = await getRemediation(rt, episode?.summary().name ?? "");
      expect(done.replaced).toHaveLength(1);
      expect(done.lockHeld).toBe(false);
    } finally {
      await ebb.stop();
    }
  });
});

describe("capacity first", () => {
  it("a drain that ends before its host is terminated removes the surge's replacement: the group keeps its desired capacity", async () => {
    const world = new World(loadScenario("unhealthy-host"));
    world.advance(warmUpSeconds(world.config));
    await world.events.flush();
    const ebb = await installLocalEbb(world, { remediation: true });
    try {
      const rt = runtime();
      const group = await describeGroup(rt.clients.autoScaling, GROUP);
      const host = group.instances[3]?.instanceId ?? "";
      const at = rt.clock.now().toISOString();
      await createRemediation(rt, {
        remediationId: "surge-undone", alarmName: "manual", alarmChangedAt: at, groupName: GROUP, targetGroupArns: group.targetGroupArns,
        startedAt: at, intervalSeconds: 10, readSpacingSeconds: 30, version: 0, hosts: {}, quarantined: {}, outagesDetected: [], replaced: [],
        notRemediated: [], lockHeld: false,
        draining: { instanceIds: [host], purpose: "replace", connectionsAtStart: {}, state: {} },
      });
      await startRemediationDrain(rt, "surge-undone");
      expect((await describeGroup(rt.clients.autoScaling, GROUP)).desiredCapacity).toBe(13);
      world.advance(30);
      const summary = await finishRemediation(rt, "surge-undone", "DrainFailed");
      expect(summary.notRemediated.map((entry) => entry.instanceId)).toEqual([host]);
      world.advance(400);
      const after = await describeGroup(rt.clients.autoScaling, GROUP);
      expect(after.desiredCapacity).toBe(12);
      expect(after.instances.filter((instance) => instance.lifecycleState === "InService").map((instance) => instance.instanceId)).toContain(host);
    } finally {
      await ebb.stop();
    }
  });
});
