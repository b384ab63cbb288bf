import { describe, expect, it } from "vitest";
import { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { decideHealth, observeHealth, recordObservation, type HealthContext } from "../../core/health.ts";

const t0 = Date.parse("2026-01-01T00:00:00Z");
const at = (seconds: number): Date => new Date(t0 + seconds * 1000);

describe("recordObservation", () => {
  it("counts N consecutive healthy observations, one per interval", () => {
    let observation = recordObservation(undefined, true, at(0), 10);
    expect(observation.consecutive).toBe(1);
    observation = recordObservation(observation, true, at(4), 10);
    expect(observation.consecutive).toBe(1);
    observation = recordObservation(observation, true, at(10), 10);
    expect(observation.consecutive).toBe(2);
  });

  it("starts over after an unhealthy observation", () => {
    const twice = recordObservation(recordObservation(undefined, true, at(0), 10), true, at(10), 10);
    expect(recordObservation(twice, false, at(20), 10)).toEqual({ consecutive: 0 });
  });
});

const context = (nowSeconds: number, overrides: Partial<HealthContext> = {}): HealthContext => ({
  now: at(nowSeconds),
  startedAt: at(0),
  expectedNewInstances: 2,
  requiredConsecutive: 2,
  intervalSeconds: 10,
  firstHealthyAfterSeconds: 90,
  timeoutSeconds: 600,
  ...overrides,
});

describe("decideHealth", () => {
  it("waits until new instances should first look healthy", () => {
    expect(decideHealth({}, context(0))).toMatchObject({ done: false, waitSeconds: 90, notLaunched: 2 });
  });

  it("waits one interval for the next counted observation", () => {
    const observations = { "i-a": { consecutive: 1, lastCountedAt: at(90).toISOString() }, "i-b": { consecutive: 1, lastCountedAt: at(92).toISOString() } };
    expect(decideHealth(observations, context(92))).toMatchObject({ done: false, waitSeconds: 8 });
  });

  it("is done only when every expected instance has N consecutive observations", () => {
    const two = { consecutive: 2, lastCountedAt: at(100).toISOString() };
    expect(decideHealth({ "i-a": two }, context(100)).done).toBe(false);
    expect(decideHealth({ "i-a": two, "i-b": two }, context(100))).toMatchObject({ done: true, verified: ["i-a", "i-b"] });
  });

  it("polls with a growing delay once overdue, and reports a timeout", () => {
    const unhealthy = { "i-a": { consecutive: 0 }, "i-b": { consecutive: 0 } };
    expect(decideHealth(unhealthy, context(91)).waitSeconds).toBe(2);
    expect(decideHealth(unhealthy, context(150)).waitSeconds).toBe(10);
    expect(decideHealth(unhealthy, context(600))).toMatchObject({ done: false, timedOut: true });
  });
});

describe("observeHealth over no target group", () => {
  it("is an error (NoTargetGroups), never a vacuous pass", async () => {
    const elbv2 = new ElasticLoadBalancingV2Client({ region: "us-east-1", credentials: { accessKeyId: "AKIATEST", secretAccessKey: "test" } });
    const instance = { instanceId: "i-a", availabilityZone: "us-east-1a", lifecycleState: "InService", healthStatus: "Healthy", launchTemplateVersion: "2", protectedFromScaleIn: false };
    await expect(observeHealth(elbv2, [instance], [], undefined, new Date(0), 10)).rejects.toMatchObject({ name: "NoTargetGroups" });
  });
});
