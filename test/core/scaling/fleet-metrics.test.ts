import { describe, expect, it } from "vitest";
import { computeFleetMetrics, growthPerSecond, scalingRole, type InstanceReading, type ScalingRole } from "../../../core/scaling/fleet-metrics.ts";
import type { TargetState } from "../../../core/targets.ts";
import type { InstanceView } from "../../../core/types.ts";

const NOW = Date.parse("2026-01-01T01:00:00Z");
const STALE_AFTER = 180;

const reading = (instanceId: string, role: ScalingRole, value: number | undefined, ageSeconds = 70): InstanceReading => ({
  instanceId,
  role,
  latest: value === undefined ? undefined : { timestamp: new Date(NOW - ageSeconds * 1000), value },
});

const compute = (readings: InstanceReading[]) => computeFleetMetrics(readings, NOW, STALE_AFTER);

describe("connection-aware fleet metrics", () => {
  it("divides every connection that needs a seat by the serving and booting instances", () => {
    const metrics = compute([reading("a", "serving", 1000), reading("b", "serving", 1200), reading("c", "serving", 800), reading("d", "booting", 0)]);
    expect(metrics.healthyInstances).toBe(3);
    expect(metrics.bootingInstances).toBe(1);
    expect(metrics.totalConnections).toBe(3000);
    expect(metrics.connectionsPerHealthyInstance).toBe(750);
  });

  it("leaves draining and unhealthy instances out of the denominator but keeps their clients in the numerator", () => {
    const metrics = compute([reading("a", "serving", 1000), reading("b", "serving", 1000), reading("c", "draining", 600), reading("d", "unhealthy", 400)]);
    expect(metrics.healthyInstances).toBe(2);
    expect(metrics.drainingConnections).toBe(600);
    expect(metrics.totalConnections).toBe(3000);
    expect(metrics.connectionsPerHealthyInstance).toBe(1500);
  });

  it("computes skew as the busiest serving instance over the serving mean", () => {
    const metrics = compute([reading("a", "serving", 1500), reading("b", "serving", 1000), reading("c", "serving", 500), reading("d", "draining", 5000)]);
    expect(metrics.connectionSkew).toBeCloseTo(1.5, 10);
    expect(compute([reading("a", "serving", 0), reading("b", "serving", 0)]).connectionSkew).toBe(1);
  });

  it("never lets a missing or stale datapoint pull the metric toward 0: the instance takes the serving mean", () => {
    const all = compute([reading("a", "serving", 1000), reading("b", "serving", 1000), reading("c", "serving", 1000)]);
    const missing = compute([reading("a", "serving", 1000), reading("b", "serving", 1000), reading("c", "serving", undefined)]);
    const stale = compute([reading("a", "serving", 1000), reading("b", "serving", 1000), reading("c", "serving", 10, STALE_AFTER + 1)]);
    expect(missing.connectionsPerHealthyInstance).toBe(all.connectionsPerHealthyInstance);
    expect(stale.connectionsPerHealthyInstance).toBe(all.connectionsPerHealthyInstance);
    expect(stale.unknownServing).toEqual(["c"]);
    // Exactly at the limit is still fresh.
    expect(compute([reading("a", "serving", 1000), reading("b", "serving", 400, STALE_AFTER)]).connectionsPerHealthyInstance).toBe(700);
  });

  it("publishes no per-instance, total or skew value when no serving instance has a fresh datapoint", () => {
    const metrics = compute([reading("a", "serving", 900, STALE_AFTER + 60), reading("b", "serving", undefined), reading("c", "draining", 300, STALE_AFTER + 60)]);
    expect(metrics.connectionsPerHealthyInstance).toBeUndefined();
    expect(metrics.totalConnections).toBeUndefined();
    expect(metrics.connectionSkew).toBeUndefined();
    expect(metrics.healthyInstances).toBe(2);
    // A draining instance's last value is carried: its clients still need somewhere to go.
    expect(metrics.drainingConnections).toBe(300);
  });
});

describe("the predictive term", () => {
  const points = (values: number[]) => values.map((value, index) => ({ timestamp: new Date(NOW - (values.length - 1 - index) * 10_000), value }));

  it("reads growth from the last two minutes of an instance's datapoints, and nothing from too short a span", () => {
    expect(growthPerSecond(points([100, 110, 120, 130, 140]))).toBe(1);
    expect(growthPerSecond(points([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 120, 240]))).toBeCloseTo(2, 10);
    expect(growthPerSecond(points([100, 200]))).toBeUndefined();
  });

  it("counts the connections the fleet will hold lookahead seconds ahead, for growth only", () => {
    const growing = [reading("a", "serving", 1000), reading("b", "serving", 1000)].map((each) => ({ ...each, growthPerSecond: 5 }));
    expect(computeFleetMetrics(growing, NOW, STALE_AFTER, 100).connectionsPerHealthyInstance).toBe(1500);
    expect(computeFleetMetrics(growing, NOW, STALE_AFTER, 0).connectionsPerHealthyInstance).toBe(1000);
    const shrinking = growing.map((each) => ({ ...each, growthPerSecond: -5 }));
    expect(computeFleetMetrics(shrinking, NOW, STALE_AFTER, 100).connectionsPerHealthyInstance).toBe(1000);
    // A stale reading's growth is as unknown as its value.
    const stale = [reading("a", "serving", 1000), { ...reading("b", "serving", 1000, STALE_AFTER + 1), growthPerSecond: 50 }];
    expect(computeFleetMetrics(stale, NOW, STALE_AFTER, 100).connectionsPerHealthyInstance).toBe(1000);
  });
});

describe("an instance's role for scaling", () => {
  const instance = (lifecycleState: string, healthStatus = "Healthy"): InstanceView => ({
    instanceId: "i-1",
    availabilityZone: "us-east-1a",
    lifecycleState,
    healthStatus,
    launchTemplateVersion: "1",
    protectedFromScaleIn: false,
  });
  const targets = (...states: string[]): Map<string, TargetState> => new Map(states.map((state, index) => [`tg-${index}`, { state, reason: undefined, port: undefined }]));

  it("serves only in service and healthy in every target group", () => {
    expect(scalingRole(instance("InService"), targets("healthy", "healthy"))).toBe("serving");
    expect(scalingRole(instance("InService"), targets("healthy", "initial"))).toBe("booting");
    expect(scalingRole(instance("Pending:Wait"), targets("unused"))).toBe("booting");
    expect(scalingRole(instance("InService"), targets("unused"))).toBe("booting");
    expect(scalingRole(instance("InService"), targets("healthy", "unhealthy"))).toBe("unhealthy");
    expect(scalingRole(instance("InService", "Unhealthy"), targets("healthy"))).toBe("unhealthy");
    expect(scalingRole(instance("InService"), targets("draining"))).toBe("draining");
    expect(scalingRole(instance("Terminating:Wait"), targets("unused"))).toBe("draining");
    expect(scalingRole(instance("EnteringStandby"), targets("healthy"))).toBe("draining");
  });
});
