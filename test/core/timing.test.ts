import { describe, expect, it } from "vitest";
import { drainImpact, drainSeconds, newTargetHealthySeconds, shedSeconds, verifiedHealthySeconds } from "../../core/timing.ts";

const drain = { connections: 1000, maxRemainingConnections: 0, shedRatePerSecond: 40, deregistrationDelaySeconds: 300, timeoutSeconds: 600 };

describe("the timing formulas the planner and the report share", () => {
  it.each([
    [1000, 40, 0, 25],
    [1001, 40, 0, 26],
    [1000, 40, 200, 20],
    [150, 40, 200, 0],
    [0, 40, 0, 0],
  ])("sheds %i connections at %i/s down to %i in %i whole seconds", (connections, rate, keep, seconds) => {
    expect(shedSeconds(connections, rate, keep)).toBe(seconds);
  });

  it("a drain the app is told about lasts its shedding, capped by the timeout", () => {
    expect(drainSeconds(drain)).toBe(25);
    expect(drainSeconds({ ...drain, timeoutSeconds: 10 })).toBe(10);
    expect(drainSeconds({ ...drain, maxRemainingConnections: 1000 })).toBe(0);
  });

  // Target groups for your Application Load Balancers, "Deregistration delay":
  // https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-target-groups.html#deregistration-delay
  // "By default, Elastic Load Balancing waits 300 seconds before completing the deregistration process".
  it("without a drain signal only the deregistration delay ends the drain", () => {
    expect(drainSeconds({ ...drain, shedRatePerSecond: 0 })).toBe(300);
    expect(drainSeconds({ ...drain, shedRatePerSecond: 0, timeoutSeconds: 120 })).toBe(120);
  });

  // Health checks for Application Load Balancer target groups:
  // https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html
  // "After your target is registered, it must pass one health check to be considered healthy."
  it("a new target is healthy one interval after it boots, whatever the healthy threshold", () => {
    expect(newTargetHealthySeconds({ bootSeconds: 60, healthCheckIntervalSeconds: 10 })).toBe(70);
    expect(newTargetHealthySeconds({ bootSeconds: 60, healthCheckIntervalSeconds: 30 })).toBe(90);
  });

  it("a registration slower than the boot delays the first passing check", () => {
    expect(newTargetHealthySeconds({ bootSeconds: 60, healthCheckIntervalSeconds: 10, registrationSeconds: 45 })).toBe(70);
    expect(newTargetHealthySeconds({ bootSeconds: 20, healthCheckIntervalSeconds: 10, registrationSeconds: 45 })).toBe(55);
  });

  it("each extra consecutive observation the deploy asks for costs one interval", () => {
    const target = { bootSeconds: 60, healthCheckIntervalSeconds: 10 };
    expect(verifiedHealthySeconds(target, 1)).toBe(70);
    expect(verifiedHealthySeconds(target, 3)).toBe(90);
  });
});

describe("drainImpact (what ebb plan predicts for a batch's clients)", () => {
  it("hands everything off when the app sheds within the timeout; the peak is bounded by the shed rate", () => {
    const impact = drainImpact([3000, 3000], { shedRatePerSecond: 10, timeoutSeconds: 300, maxRemainingConnections: 0 });
    expect(impact.forcedDisconnects).toBe(0);
    // 2 instances × 10/s × 60 s = 1200 a minute at most.
    expect(impact.peakReconnectsPerMinute).toBe(1200);
  });

  it("cuts what is left at the timeout, and what the drain may leave (maxRemainingConnections)", () => {
    expect(drainImpact([1000], { shedRatePerSecond: 2, timeoutSeconds: 300, maxRemainingConnections: 0 }).forcedDisconnects).toBe(400);
    expect(drainImpact([1000], { shedRatePerSecond: 40, timeoutSeconds: 300, maxRemainingConnections: 50 }).forcedDisconnects).toBe(50);
  });

  it("an app never told to drain (signal none) loses every connection at once", () => {
    expect(drainImpact([500, 700], { shedRatePerSecond: 0, timeoutSeconds: 300, maxRemainingConnections: 0 })).toEqual({ forcedDisconnects: 1200, peakReconnectsPerMinute: 1200 });
  });
});
