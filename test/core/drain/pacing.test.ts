import { describe, expect, it } from "vitest";
import { selectBatch } from "../../../core/batch-selection.ts";
import { fitsBudget, pacedDrainCommand, pacedShedRate, pacingWindowSeconds } from "../../../core/drain/pacing.ts";
import type { InstanceView } from "../../../core/types.ts";
import { parseStageConfig } from "../../../core/stage.ts";
import { resolveDeployInput } from "../../../workflows/rolling-deploy.input.ts";

const budget = { maxReconnectsPerMinute: 1000, appShedRatePerSecond: 40, timeoutSeconds: 300 };

describe("reconnect budget pacing", () => {
  it("shares the budget (with its headroom) equally between the instances draining at once", () => {
    const rate = pacedShedRate(budget, [1000, 1000, 1000]);
    expect(rate * 3 * 60).toBeLessThanOrEqual(1000);
    expect(rate * 3 * 60).toBeGreaterThan(900);
  });

  it("never paces faster than the app sheds on its own, and leaves an unbudgeted drain at the app's rate", () => {
    expect(pacedShedRate({ ...budget, maxReconnectsPerMinute: 1_000_000 }, [500])).toBe(40);
    expect(pacedShedRate({ ...budget, maxReconnectsPerMinute: undefined }, [500, 500])).toBe(40);
  });

  it("speeds up past the budget rather than let the deadline cut the busiest instance", () => {
    const rate = pacedShedRate(budget, [6000]);
    expect(rate * pacingWindowSeconds(budget)).toBeGreaterThanOrEqual(6000);
  });

  it("lets only as many instances drain at once as finish at the shared rate before the deadline", () => {
    // 1000/min × 0.95 over 240 s sheds 3,800 connections in all.
    expect(fitsBudget(budget, [1000, 1000, 1000])).toBe(true);
    expect(fitsBudget(budget, [1000, 1000, 1000, 1000])).toBe(false);
    expect(fitsBudget(budget, [9000])).toBe(true);
  });

  it("tells the app the rate as the drain command's argument, only when paced", () => {
    expect(pacedDrainCommand("ebb-drain", 5.278)).toBe("ebb-drain --rate 5.278");
    expect(pacedDrainCommand("ebb-drain", undefined)).toBe("ebb-drain");
  });

  it("batch selection holds back the instances the budget cannot drain with the others", () => {
    const remaining = [0, 1, 2, 3].map((index): InstanceView => ({
      instanceId: `i-${index}`,
      availabilityZone: "us-east-1a",
      lifecycleState: "InService",
      healthStatus: "Healthy",
      launchTemplateVersion: "1",
      protectedFromScaleIn: false,
    }));
    const request = {
      remaining,
      serving: new Set(remaining.map((instance) => instance.instanceId)),
      servingCount: 12,
      desiredCapacity: 12,
      minHealthyPercent: 50,
      mode: "replace" as const,
      batchSize: 4,
      maxServingOutOfService: 4,
    };
    expect(selectBatch(request).instanceIds).toHaveLength(4);
    const connections = { "i-0": 2000, "i-1": 2000, "i-2": 2000, "i-3": 2000 };
    const paced = selectBatch({ ...request, reconnectBudget: { budget, connections } });
    expect(paced.instanceIds).toEqual(["i-0"]);
    expect(paced.heldForReconnectBudget).toEqual(["i-1", "i-2", "i-3"]);
  });
});

describe("drain.maxReconnectsPerMinute in the workflow input", () => {
  const stage = parseStageConfig({ stage: "test", autoScalingGroups: ["asg"], tables: { locks: "l-t", deploys: "d-t", idempotency: "i-t" } });
  it("is accepted with the SSM signal and refused, with the reason, without it or when not a whole positive number", () => {
    const ok = resolveDeployInput({ autoScalingGroupName: "asg", drain: { maxReconnectsPerMinute: 600 } }, stage);
    expect(ok.ok && ok.input.drain.maxReconnectsPerMinute).toBe(600);
    const unsignalled = resolveDeployInput({ autoScalingGroupName: "asg", drain: { maxReconnectsPerMinute: 600, signal: "none" } }, stage);
    expect(unsignalled.ok ? [] : unsignalled.problems).toEqual([expect.stringMatching(/^drain\.maxReconnectsPerMinute: pacing needs drain\.signal "ssm"/)]);
    const zero = resolveDeployInput({ autoScalingGroupName: "asg", drain: { maxReconnectsPerMinute: 0 } }, stage);
    expect(zero.ok ? [] : zero.problems).toEqual([expect.stringMatching(/^drain\.maxReconnectsPerMinute: /)]);
  });
});
