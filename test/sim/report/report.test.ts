import { describe, expect, it } from "vitest";
import { acquireLock } from "../../../core/lock.ts";
import { runtime } from "../../../core/runtime.ts";
import { newTargetHealthySeconds, shedSeconds } from "../../../core/timing.ts";
import { fleetAtEnd } from "../../../sim/report/fleet.ts";
import { deployLowerBoundSeconds } from "../../../sim/report/lower-bound.ts";
import { Timeline, type BatchDrain } from "../../../sim/report/timeline.ts";
import { loadScenario, parseScenarioConfig } from "../../../sim/scenarios.ts";
import { simulate } from "../../../sim/simulate.ts";
import { runStrategy } from "../../../sim/strategies/index.ts";
import { World } from "../../../sim/world.ts";
import { advanceUntil, asg, elb, groupName, instanceAt, makeWorld, targetGroupArn } from "../../support/fleet.ts";

const deregister = (world: World, ...ids: string[]): void => {
  elb(world, "DeregisterTargets", { TargetGroupArn: targetGroupArn(world), Targets: ids.map((Id) => ({ Id })) });
};

describe("the report of a rolling deploy", () => {
  it("shows the fleet as the quiescent run left it, hand-offs per session and the control plane's own time", async () => {
    const config = loadScenario("rolling-deploy");
    const report = await simulate(config);
    expect(report.outcome, report.cause).toBe("Succeeded");
    expect(report.quiescence).toMatchObject({ quiescent: true, unsettled: [] });
    expect(report.fleet).toEqual({
      deregisteredButRunning: 0,
      unregisteredInService: 0,
      versions: { "2": 12 },
      launchTemplateVersion: "2",
      desiredCapacity: 12,
      maxSize: 24,
      suspendedProcesses: [],
      lockHeld: false,
    });
    expect(report.connections.handoffsPerSession).toBe(Number((report.connections.gracefulHandoffs / 12_000).toFixed(3)));
    expect(report.controlPlaneSeconds).toBe(Number((report.durationSeconds - report.lowerBoundSeconds).toFixed(1)));

    // The lower bound is measured on the batches as they were deregistered: 4 batches of 3.
    const drains = report.timeline.drains;
    expect(drains.map((drain) => [drain.batch, Object.keys(drain.connections).length])).toEqual([[0, 3], [1, 3], [2, 3], [3, 3]]);
    expect(report.lowerBoundSeconds).toBe(deployLowerBoundSeconds(config, drains, 0));
    // The first batch held a steady-state share; later ones also held the clients handed off to them.
    const most = (drain: BatchDrain): number => Math.max(...Object.values(drain.connections));
    expect(most(drains[0] as BatchDrain)).toBeLessThanOrEqual(1000);
    expect(most(drains[3] as BatchDrain)).toBeGreaterThan(1000);
  });
});

describe("lowerBoundSeconds, per batch from the recorded drains (core/timing.ts)", () => {
  const config = parseScenarioConfig({ app: { versions: { "2": { bootSeconds: 90 } } }, targetGroup: { deregistrationDelaySeconds: 30 } }, "test");
  const drain = (phase: string, launchTemplateVersion: string, connections: Record<string, number>): BatchDrain =>
    ({ t: 0, batch: 0, phase, launchTemplateVersion, connections });

  // Health checks for Application Load Balancer target groups:
  // https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html
  // "After your target is registered, it must pass one health check to be considered healthy."
  it("drains the busiest instance of each batch at the app's rate, boots the version launched, waits one check, bakes deploy batches only", () => {
    const drains = [drain("deregister and drain", "2", { a: 1000, b: 400 }), drain("rollback: deregister and drain", "1", { c: 0 })];
    // 1000 at 40/s = 25 s, boot 90 s, one 10 s check, bake 30 s; then the rollback: no drain, boot 60 s, one check, no bake.
    expect(deployLowerBoundSeconds(config, drains, 30)).toBe(25 + 90 + 10 + 30 + (0 + 60 + 10));
    expect(deployLowerBoundSeconds(config, drains, 30)).toBe(
      shedSeconds(1000, 40) + newTargetHealthySeconds({ bootSeconds: 90, healthCheckIntervalSeconds: 10 }) + 30 + newTargetHealthySeconds({ bootSeconds: 60, healthCheckIntervalSeconds: 10 }),
    );
  });

  // Target group attributes (deregistration_delay.timeout_seconds): "The amount of time for Elastic
  // Load Balancing to wait before changing the state of a deregistering target from draining to unused."
  // https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-target-groups.html#deregistration-delay
  it("lasts at least until the last batch's targets leave draining: its deregistration plus the configured delay", () => {
    const slow = parseScenarioConfig({ targetGroup: { deregistrationDelaySeconds: 300 } }, "test");
    const drains = [drain("deregister and drain", "2", { a: 400 }), drain("deregister and drain", "2", { b: 400 })];
    // Each batch: 400 at 40/s = 10 s, boot 60 s, one 10 s check = 80 s; the second is deregistered at 80 s at the earliest.
    expect(deployLowerBoundSeconds(slow, drains, 0)).toBe(80 + 300);
    expect(deployLowerBoundSeconds(parseScenarioConfig({ targetGroup: { deregistrationDelaySeconds: 30 } }, "test"), drains, 0)).toBe(160);
  });

  it("the timeline records each batch as it is deregistered: under a reported batch, or within one second", () => {
    const world = makeWorld({ fleet: { desiredCapacity: 6 }, clients: { sessions: 600 }, targetGroup: { deregistrationDelaySeconds: 300 } });
    const timeline = new Timeline(world, 10);
    const id = (index: number): string => instanceAt(world, index).instanceId;
    timeline.markPhase(0, "deregister and drain");
    deregister(world, id(0), id(1));
    world.advance(5);
    deregister(world, id(2));
    timeline.markPhase(1, "deregister and drain");
    deregister(world, id(3));
    timeline.markPhase(undefined, "instance refresh");
    deregister(world, id(4));
    world.advance(1);
    deregister(world, id(5));
    expect(timeline.drains.map(({ t, batch, connections }) => ({ t, batch, connections }))).toEqual([
      { t: 0, batch: 0, connections: { [id(0)]: 100, [id(1)]: 100, [id(2)]: 100 } },
      { t: 5, batch: 1, connections: { [id(3)]: 100 } },
      { t: 5, batch: undefined, connections: { [id(4)]: 100 } },
      { t: 6, batch: undefined, connections: { [id(5)]: 100 } },
    ]);
  });
});

describe("the fleet block", () => {
  it("counts an instance a drain deregistered and left running, and one told to drain but registered", () => {
    const world = makeWorld({ clients: { sessions: 0 } });
    const timeline = new Timeline(world, 10);
    deregister(world, instanceAt(world, 0).instanceId);
    world.clients.startDrain(instanceAt(world, 1).instanceId);
    expect(fleetAtEnd(world, timeline.drains, false)).toMatchObject({ deregisteredButRunning: 2, unregisteredInService: 0, versions: { "1": 3 } });
  });

  it("counts an InService instance that was never registered (AddToLoadBalancer suspended), and the suspension", () => {
    const world = makeWorld();
    const timeline = new Timeline(world, 10);
    asg(world, "SuspendProcesses", { AutoScalingGroupName: groupName(world), ScalingProcesses: ["AddToLoadBalancer"] });
    const old = instanceAt(world, 0).instanceId;
    asg(world, "TerminateInstanceInAutoScalingGroup", { InstanceId: old, ShouldDecrementDesiredCapacity: "false" });
    advanceUntil(world, () => world.autoscaling.instances().filter((instance) => instance.lifecycleState === "InService").length === 3);
    const fleet = fleetAtEnd(world, timeline.drains, false);
    expect(fleet).toMatchObject({ deregisteredButRunning: 0, unregisteredInService: 1, suspendedProcesses: ["AddToLoadBalancer"] });
  });

  it("lockHeld reads Ebb's lock table while Ebb is installed", async () => {
    const world = new World(loadScenario("dry-run"));
    let held: boolean | undefined;
    await runStrategy("ebb", {
      world,
      timeline: new Timeline(world, 10),
      report: () => undefined,
      settle: async (lockHeld) => {
        expect(await lockHeld()).toBe(false);
        await acquireLock(runtime(), groupName(world), "another-deploy", "deploy");
        held = await lockHeld();
      },
    });
    expect(held).toBe(true);
  });
});
