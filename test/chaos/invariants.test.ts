import { beforeAll, describe, expect, it } from "vitest";
import type { ChaosCase } from "../../chaos/mix.ts";
import { drawCase, runSeed } from "../../chaos/mix.ts";
import { observeRun, type ChaosObservation } from "../../chaos/observe.ts";
import { chaosScenario } from "../../chaos/scenario.ts";
import { invariants, violations } from "../../chaos/invariants/index.ts";
import { runEnds } from "../../chaos/invariants/run-ends.ts";
import { noneDeregisteredButRunning } from "../../chaos/invariants/deregistered-but-running.ts";
import { forcedOnlyByCrashes } from "../../chaos/invariants/forced-disconnects.ts";
import { healthyCapacityKept } from "../../chaos/invariants/healthy-capacity.ts";
import { terminatedOnlyDrained } from "../../chaos/invariants/drained-terminations.ts";
import { lifecycleCompletedOnce } from "../../chaos/invariants/single-completion.ts";
import { sharedOutageTerminatesNothing } from "../../chaos/invariants/shared-outage.ts";
import { groupRestored } from "../../chaos/invariants/group-restored.ts";
import { locksReleased } from "../../chaos/invariants/locks-released.ts";

const none = { api: [], lambda: [], controlPlaneOutages: [], crashes: [], flapping: [], sharedOutages: [], unhealthy: [], zoneOutages: [], neverHealthy: [], capacityChanges: [], events: { duplicateRate: 0, delaySeconds: 0, dropRate: 0, jitterSeconds: 0 } };
const clean: ChaosCase = {
  workload: "deploy",
  scenarioSeed: 1,
  desiredCapacity: 3,
  sessions: 300,
  targetRegistration: "asg",
  deregistrationDelaySeconds: 300,
  terminationPolicy: "default",
  bootFailureRate: 0,
  deploy: { mode: "replace", batchSize: 1, minHealthyPercent: 60, badRelease: false },
  faults: none,
};

/** A real, fault-free deploy's observation: every invariant holds on it, and each broken copy breaks exactly its own. */
let good: ChaosObservation;
beforeAll(async () => {
  good = await observeRun(clean, chaosScenario(clean, "chaos-invariants"));
}, 120_000);

const broken = (edit: (observation: ChaosObservation) => void): ChaosObservation => {
  const copy = structuredClone(good);
  edit(copy);
  return copy;
};

describe("chaos invariants", () => {
  it("all hold on a fault-free deploy", () => {
    expect(good.report.outcome).toBe("Succeeded");
    expect(violations(good)).toEqual([]);
  });

  it.each([
    [runEnds, (o: ChaosObservation) => void (o.report.outcome = "Failed")],
    [runEnds, (o: ChaosObservation) => void (o.report.quiescence = { quiescent: false, settleSeconds: 7200, unsettled: ["lifecycle actions open: 1"] })],
    [noneDeregisteredButRunning, (o: ChaosObservation) => void (o.report.fleet.deregisteredButRunning = 1)],
    [forcedOnlyByCrashes, (o: ChaosObservation) => void (o.report.connections.forcedDisconnectsBy["deregistration-delay"] = 3)],
    [healthyCapacityKept, (o: ChaosObservation) => void (o.report.capacity.minHealthyInstances = 1)],
    [healthyCapacityKept, (o: ChaosObservation) => {
      o.config.faults.sharedOutages.push({ atSeconds: 5000, durationSeconds: 60 });
      const sample = o.report.timeline.samples[3];
      if (sample) sample.healthyInstances = 0;
    }],
    [terminatedOnlyDrained, (o: ChaosObservation) => void (o.report.instances.terminatedWithoutDrain = 1)],
    [lifecycleCompletedOnce, (o: ChaosObservation) => void (o.report.lifecycle.duplicateCompletions = 1)],
    [sharedOutageTerminatesNothing, (o: ChaosObservation) => {
      o.config.faults.sharedOutages.push({ atSeconds: 200, durationSeconds: 120 });
      o.terminations.push({ instanceId: "i-0000000000000002", launchIndex: 1, availabilityZone: "us-east-1b", atSeconds: 250, cause: "an instance was taken out of service in response to a health check", crashed: false, bootFailed: false });
    }],
    [groupRestored, (o: ChaosObservation) => void (o.report.fleet.desiredCapacity = 4)],
    [groupRestored, (o: ChaosObservation) => void (o.report.fleet.suspendedProcesses = ["AZRebalance"])],
    [groupRestored, (o: ChaosObservation) => void (o.deregistrationDelaySeconds = [3600])],
    [groupRestored, (o: ChaosObservation) => void (o.report.fleet.versions = { "1": 1, "2": 2 })],
    [locksReleased, (o: ChaosObservation) => void (o.report.fleet.lockHeld = true)],
  ])("%# %s fails on a report that breaks it, and only it", (invariant, edit) => {
    const observation = broken(edit);
    expect(invariant.check(observation)).toEqual(expect.any(String));
    expect(invariants).toContain(invariant);
  });

  it("a crashed host excuses its own dip, an unexcused one does not", () => {
    const dip = broken((o) => void (o.report.capacity.minHealthyInstances = 1));
    expect(healthyCapacityKept.check(dip)).toBeDefined();
    dip.config.faults.crashes.push({ atSeconds: 300, instanceIndex: 0 });
    expect(healthyCapacityKept.check(dip)).toBeUndefined();
  });

  it("a case is drawn from (seed, index) alone", () => {
    expect(drawCase(7, 3)).toEqual(drawCase(7, 3));
    expect(runSeed(7, 3)).not.toBe(runSeed(7, 4));
    expect(runSeed(7, 3)).not.toBe(runSeed(8, 3));
  });
});
