import { describe, expect, it } from "vitest";
import { advanceUntil, elb, instanceAt, makeWorld, stateOf, targetGroupArn } from "../../support/fleet.ts";

describe("target group health checks", () => {
  it("a registered target turns healthy after healthyThreshold × interval", () => {
    const world = makeWorld({ clients: { sessions: 0 }, targetGroup: { healthCheck: { intervalSeconds: 10, healthyThreshold: 3 } } });
    const id = instanceAt(world, 0).instanceId;
    world.elb.deregisterTargets(targetGroupArn(world), [id]);
    expect(world.elb.targetHealth(targetGroupArn(world), id)).toMatchObject({ state: "unused", reason: "Target.NotRegistered" });
    world.advance(1);
    world.elb.registerTargets(targetGroupArn(world), [id]);
    expect(world.elb.targetHealth(targetGroupArn(world), id)).toMatchObject({ state: "initial", reason: "Elb.RegistrationInProgress" });
    world.advance(10);
    expect(world.elb.targetHealth(targetGroupArn(world), id)).toMatchObject({ state: "initial", reason: "Elb.InitialHealthChecking" });
    world.advance(19);
    expect(stateOf(world, id)).toBe("initial");
    world.advance(1);
    expect(world.elb.targetHealth(targetGroupArn(world), id)).toMatchObject({ state: "healthy", reason: undefined });
  });

  it("a healthy target turns unhealthy after unhealthyThreshold failed checks", () => {
    const world = makeWorld({ fleet: { healthCheckType: "EC2" }, targetGroup: { healthCheck: { intervalSeconds: 10, unhealthyThreshold: 2 } } });
    const id = instanceAt(world, 1).instanceId;
    world.advance(5);
    world.autoscaling.crashInstance(id);
    const seconds = advanceUntil(world, () => stateOf(world, id) !== "healthy");
    // Two failed checks, ten seconds apart; the first comes somewhere within one interval of the crash.
    expect(seconds).toBeGreaterThan(10);
    expect(seconds).toBeLessThanOrEqual(20);
    expect(world.elb.targetHealth(targetGroupArn(world), id)).toMatchObject({
      state: "unhealthy",
      reason: "Target.FailedHealthChecks",
      description: "Health checks failed",
    });
  });

  it("deregistration with open connections closes them at delay expiry, counted as forced", () => {
    const world = makeWorld({ targetGroup: { deregistrationDelaySeconds: 30 } });
    const id = instanceAt(world, 0).instanceId;
    const held = world.clients.connectionsOf(id);
    expect(held).toBe(100);
    elb(world, "DeregisterTargets", { TargetGroupArn: targetGroupArn(world), Targets: [{ Id: id }] });
    expect(world.elb.targetHealth(targetGroupArn(world), id)).toMatchObject({ state: "draining", reason: "Target.DeregistrationInProgress" });
    world.advance(29);
    expect(stateOf(world, id)).toBe("draining");
    expect(world.clients.connectionsOf(id)).toBe(held);
    expect(world.stats.forcedDisconnects).toBe(0);
    world.advance(1);
    expect(stateOf(world, id)).toBe("unused");
    expect(world.clients.connectionsOf(id)).toBe(0);
    expect(world.stats.forcedDisconnects).toBe(held);
  });

  it("deregistration of a target without connections completes at once", () => {
    const world = makeWorld({ clients: { sessions: 0 }, targetGroup: { deregistrationDelaySeconds: 300 } });
    const id = instanceAt(world, 2).instanceId;
    elb(world, "DeregisterTargets", { TargetGroupArn: targetGroupArn(world), Targets: [{ Id: id }] });
    expect(stateOf(world, id)).toBe("unused");
  });

  it("a draining target whose connections drain away completes before the delay", () => {
    const world = makeWorld({ targetGroup: { deregistrationDelaySeconds: 300 }, app: { drainRatePerSecond: 20 } });
    const id = instanceAt(world, 0).instanceId;
    world.elb.deregisterTargets(targetGroupArn(world), [id]);
    expect(world.clients.startDrain(id)).toBe(true);
    const seconds = advanceUntil(world, () => stateOf(world, id) === "unused");
    expect(seconds).toBeLessThanOrEqual(6);
    expect(world.stats.forcedDisconnects).toBe(0);
    expect(world.stats.gracefulHandoffs).toBe(100);
  });

  it("fails open: with every target unhealthy the load balancer still routes to all of them", () => {
    const world = makeWorld({
      fleet: { healthCheckType: "EC2" },
      clients: { churnPerHour: 36, meanAwaySeconds: 1 },
      faults: { sharedOutages: [{ atSeconds: 0, durationSeconds: 600 }] },
    });
    world.advance(60);
    const arn = targetGroupArn(world);
    expect(world.elb.healthCounts(arn)).toEqual({ healthy: 0, unhealthy: 3 });
    expect(world.elb.routableInstanceIds()).toHaveLength(3);
    world.advance(1);
    expect(world.clients.newConnectionsLastStep()).toBeGreaterThan(0);
    expect(world.clients.totalConnections()).toBeGreaterThan(250);
  });

  it("routes only to healthy targets when some are healthy", () => {
    const world = makeWorld();
    const sick = instanceAt(world, 0).instanceId;
    world.autoscaling.crashInstance(sick);
    world.advance(30);
    expect(world.elb.routableInstanceIds()).not.toContain(sick);
    expect(world.elb.routableInstanceIds()).toHaveLength(2);
  });
});
