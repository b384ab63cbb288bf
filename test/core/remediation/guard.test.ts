import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { replacementAllowance, sharedOutageVerdict, type HostHealth } from "../../../core/remediation/guard.ts";
import { remediationSettingsSchema } from "../../../core/remediation/settings.ts";

const settings = remediationSettingsSchema.parse({});
const ZONES = ["us-east-1a", "us-east-1b", "us-east-1c"];
/** `count` hosts spread over the zones in turn, the ones listed in `failing` unhealthy. */
const fleet = (count: number, failing: readonly number[]): HostHealth[] =>
  Array.from({ length: count }, (_, index) => ({
    instanceId: `i-${index}`,
    availabilityZone: ZONES[index % ZONES.length] ?? "us-east-1a",
    status: failing.includes(index) ? "unhealthy" : "healthy",
  }));

describe("the shared-outage guard (seeds/001; Builders' Library, Implementing health checks)", () => {
  it("trips when every target is unhealthy, however small the group", () => {
    expect(sharedOutageVerdict(fleet(2, [0, 1]), settings.sharedOutage)).toMatchObject({ outage: true, reason: "every target is unhealthy (2 of 2)" });
    expect(sharedOutageVerdict(fleet(1, [0]), settings.sharedOutage).outage).toBe(true);
  });

  it("trips on more than a third of the group, but not within the absolute allowance (a small pool stays repairable)", () => {
    expect(sharedOutageVerdict(fleet(12, [0, 1, 2, 3]), settings.sharedOutage).outage).toBe(false);
    expect(sharedOutageVerdict(fleet(12, [0, 1, 2, 3, 4]), settings.sharedOutage).outage).toBe(true);
    // 2 of 4 is half the pool, but 2 is within the allowance: Karpenter's fraction-only guard stranded exactly this.
    expect(sharedOutageVerdict(fleet(4, [1, 2]), settings.sharedOutage).outage).toBe(false);
    expect(sharedOutageVerdict(fleet(4, [0, 1, 2]), settings.sharedOutage).outage).toBe(true);
  });

  it("trips on most of one zone", () => {
    // 1, 4, 7, 10 are all in us-east-1b: a third of the group, every target of the zone.
    expect(sharedOutageVerdict(fleet(12, [1, 4, 7, 10]), settings.sharedOutage)).toMatchObject({
      outage: true,
      reason: "4 of 4 targets in us-east-1b are unhealthy, more than 0.5 of the zone",
    });
  });

  it("never counts targets that are neither healthy nor unhealthy (initial, draining)", () => {
    const hosts = fleet(4, [0]).map((host, index) => (index > 0 ? { ...host, status: "pending" as const } : host));
    expect(sharedOutageVerdict(hosts, settings.sharedOutage)).toMatchObject({ outage: true, total: 1 });
  });

  it("property: within the allowance and not every target, never an outage; every target always is", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 0, max: 60 }), (count, failing) => {
        const unhealthy = Math.min(count, failing);
        const verdict = sharedOutageVerdict(fleet(count, Array.from({ length: unhealthy }, (_, index) => index)), settings.sharedOutage);
        if (unhealthy === count) expect(verdict.outage).toBe(true);
        else if (unhealthy <= settings.sharedOutage.allowance) expect(verdict.outage).toBe(false);
        else if (unhealthy > count / 3) expect(verdict.outage).toBe(true);
      }),
    );
  });
});

describe("the replacement budget", () => {
  const budget = { ...settings.budget, maxPerWindow: 3, maxConcurrent: 2 };
  it("allows what the window and the concurrency leave, the smaller of the two", () => {
    expect(replacementAllowance({ inFlight: 0, usedInWindow: 0, healthy: 11, desiredCapacity: 12 }, budget)).toEqual({ allowed: 2, reason: undefined });
    expect(replacementAllowance({ inFlight: 1, usedInWindow: 2, healthy: 11, desiredCapacity: 12 }, budget)).toEqual({ allowed: 1, reason: undefined });
  });
  it("says why when the window is spent or healthy capacity is under the floor, and waits silently on concurrency", () => {
    expect(replacementAllowance({ inFlight: 0, usedInWindow: 3, healthy: 11, desiredCapacity: 12 }, budget).reason).toBe("budget spent: 3 replacement(s) per 3600 s");
    expect(replacementAllowance({ inFlight: 0, usedInWindow: 0, healthy: 5, desiredCapacity: 12 }, budget).reason).toMatch(/below the floor of 6/);
    expect(replacementAllowance({ inFlight: 2, usedInWindow: 0, healthy: 11, desiredCapacity: 12 }, budget)).toEqual({ allowed: 0, reason: undefined });
  });
});
