import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ScriptRun } from "../../../emulator/ssm/types.ts";
import type { World } from "../../../sim/world.ts";
import { asg, groupName, instanceAt, makeWorld, targetGroupArn } from "../../support/fleet.ts";

const exitCodeOf = (run: ScriptRun): number | undefined => ("running" in run ? undefined : run.exitCode);

const conserved = (world: World): boolean => {
  const { sessions, connected, pendingReconnect, away } = world.clients.counts();
  return connected + pendingReconnect + away === sessions;
};

describe("client population", () => {
  it("starts in steady state with sessions spread over the fleet", () => {
    const world = makeWorld({ fleet: { desiredCapacity: 4 }, clients: { sessions: 1001 } });
    const counts = world.autoscaling.instances().map((instance) => world.clients.connectionsOf(instance.instanceId));
    expect(counts).toEqual([251, 250, 250, 250]);
    expect(world.clients.totalConnections()).toBe(1001);
  });

  it("starts with clients.initialShares when given: by launch index, unlisted ones weighing 1", () => {
    const world = makeWorld({ fleet: { desiredCapacity: 4 }, clients: { sessions: 1001, initialShares: [2, 1, 0.5] } });
    const counts = world.autoscaling.instances().map((instance) => world.clients.connectionsOf(instance.instanceId));
    expect(counts).toEqual([445, 223, 111, 222]);
    expect(world.clients.totalConnections()).toBe(1001);
    expect(() => makeWorld({ fleet: { desiredCapacity: 2 }, clients: { initialShares: [1, 1, 1] } })).toThrow(/3 shares for a fleet that starts with 2 instances/);
  });

  it("a drain sheds at the configured rate as graceful hand-offs that reconnect elsewhere", () => {
    const world = makeWorld({ app: { drainRatePerSecond: 7 } });
    const draining = instanceAt(world, 0).instanceId;
    world.elb.deregisterTargets(targetGroupArn(world), [draining]);
    expect(world.clients.startDrain(draining)).toBe(true);
    world.advance(10);
    expect(world.clients.connectionsOf(draining)).toBe(100 - 70);
    expect(world.stats.gracefulHandoffs).toBe(70);
    expect(world.stats.forcedDisconnects).toBe(0);
    expect(world.stats.reconnects).toBe(70);
    expect(world.clients.totalConnections()).toBe(300);
    expect(world.clients.connectionsOf(instanceAt(world, 1).instanceId) + world.clients.connectionsOf(instanceAt(world, 2).instanceId)).toBe(270);
  });

  it("a paced drain (ebb-drain --rate N) sheds at the slower rate, never above the app's own", () => {
    const world = makeWorld({ app: { drainRatePerSecond: 7 } });
    const [slow, capped] = [instanceAt(world, 0).instanceId, instanceAt(world, 1).instanceId];
    world.elb.deregisterTargets(targetGroupArn(world), [slow, capped]);
    expect(exitCodeOf(world.physics.runShellScript(slow, ["ebb-drain --rate 2.5"]))).toBe(0);
    expect(exitCodeOf(world.physics.runShellScript(capped, ["ebb-drain --rate 500"]))).toBe(0);
    world.advance(10);
    expect(world.clients.connectionsOf(slow)).toBe(100 - 25);
    expect(world.clients.connectionsOf(capped)).toBe(100 - 70);
  });

  it("clients closed with 1012 Service Restart come back after their randomized delay, not at once", () => {
    const world = makeWorld({ app: { drainRatePerSecond: 10, drainCloseCode: "1012" }, clients: { reconnectAfterClose: { "1012": [5, 30] } } });
    const draining = instanceAt(world, 0).instanceId;
    world.elb.deregisterTargets(targetGroupArn(world), [draining]);
    expect(world.clients.startDrain(draining)).toBe(true);
    world.advance(4);
    expect(world.stats.gracefulHandoffs).toBe(40);
    expect(world.stats.reconnects).toBe(0);
    expect(world.clients.counts().pendingReconnect).toBe(40);
    expect(conserved(world)).toBe(true);
    world.advance(40);
    expect(world.stats.reconnects).toBe(world.stats.gracefulHandoffs);
    expect(world.clients.counts().pendingReconnect).toBe(0);
  });

  it("least connections fills the emptiest targets first; round robin spreads evenly", () => {
    for (const [algorithm, expected] of [
      ["least_connections", [0, 150, 150]],
      ["round_robin", [0, 150, 150]],
    ] as const) {
      // No propagation window: the hand-offs must all land on the two remaining targets.
      const world = makeWorld({ targetGroup: { algorithm, deregistrationPropagationSeconds: 0 }, app: { drainRatePerSecond: 1000 } });
      const first = instanceAt(world, 0).instanceId;
      world.elb.deregisterTargets(targetGroupArn(world), [first]);
      world.clients.startDrain(first);
      world.advance(1);
      expect(world.autoscaling.instances().map((instance) => world.clients.connectionsOf(instance.instanceId))).toEqual(expected);
    }
    const world = makeWorld({ fleet: { desiredCapacity: 4 }, clients: { sessions: 400 }, targetGroup: { algorithm: "least_connections" }, app: { drainRatePerSecond: 1000 } });
    world.autoscaling.crashInstance(instanceAt(world, 0).instanceId);
    world.advance(120);
    const counts = world.autoscaling.instances().slice(1, 4).map((instance) => world.clients.connectionsOf(instance.instanceId));
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
  });

  it("forced closes reconnect with backoff and are counted per minute", () => {
    const world = makeWorld({ clients: { sessions: 3000, reconnect: { initialDelaySeconds: 2, maxDelaySeconds: 30, jitter: "full" } } });
    world.autoscaling.crashInstance(instanceAt(world, 0).instanceId);
    expect(world.stats.forcedDisconnects).toBe(1000);
    expect(world.clients.counts().pendingReconnect).toBe(1000);
    world.advance(120);
    expect(world.clients.counts().pendingReconnect).toBe(0);
    expect(world.stats.reconnects).toBe(1000);
    expect(world.stats.peakReconnectsPerMinute).toBeGreaterThan(0);
    expect(world.stats.reconnectsPerMinute.reduce((sum, count) => sum + count, 0)).toBe(1000);
  });

  it("with no target to connect to, attempts fail and back off again", () => {
    const world = makeWorld({ fleet: { desiredCapacity: 1, healthCheckType: "EC2" }, clients: { sessions: 50 } });
    const only = instanceAt(world, 0).instanceId;
    world.autoscaling.crashInstance(only);
    world.advance(300);
    expect(world.clients.totalConnections()).toBe(0);
    expect(world.clients.counts().pendingReconnect).toBe(50);
    expect(conserved(world)).toBe(true);
  });

  it("sessions are conserved at every step, whatever happens to the fleet", () => {
    const operation = fc.oneof(
      fc.record({ kind: fc.constant("advance" as const), seconds: fc.integer({ min: 1, max: 40 }) }),
      fc.record({ kind: fc.constant("crash" as const), index: fc.integer({ min: 0, max: 8 }) }),
      fc.record({ kind: fc.constant("drain" as const), index: fc.integer({ min: 0, max: 8 }) }),
      fc.record({ kind: fc.constant("deregister" as const), index: fc.integer({ min: 0, max: 8 }) }),
      fc.record({ kind: fc.constant("desired" as const), capacity: fc.integer({ min: 0, max: 8 }) }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1000 }), fc.array(operation, { maxLength: 25 }), (seed, operations) => {
        const world = makeWorld({ seed, fleet: { desiredCapacity: 4, minSize: 0, maxSize: 8 }, clients: { sessions: 997, churnPerHour: 20, meanAwaySeconds: 5 }, targetGroup: { deregistrationDelaySeconds: 15 } });
        for (const step of operations) {
          const instance = "index" in step ? world.autoscaling.instanceByLaunchIndex(step.index) : undefined;
          if (step.kind === "advance") {
            for (let i = 0; i < step.seconds; i++) {
              world.advance(1);
              if (!conserved(world)) return false;
            }
          } else if (step.kind === "crash" && instance) world.autoscaling.crashInstance(instance.instanceId);
          else if (step.kind === "drain" && instance) world.clients.startDrain(instance.instanceId);
          else if (step.kind === "deregister" && instance) world.elb.deregisterTargets(targetGroupArn(world), [instance.instanceId]);
          else if (step.kind === "desired") asg(world, "SetDesiredCapacity", { AutoScalingGroupName: groupName(world), DesiredCapacity: String(step.capacity) });
          if (!conserved(world)) return false;
        }
        return true;
      }),
      { numRuns: 60 },
    );
  });
});
