import { describe, expect, it } from "vitest";
import { changeLines, duration, progressLines } from "../../cli/follow/render.ts";
import type { DeployProgress } from "../../core/progress/read.ts";

const progress = (overrides: Partial<DeployProgress> = {}): DeployProgress => ({
  deployId: "v2", autoScalingGroupName: "app", status: "InProgress", targetVersion: "2",
  batch: { phase: "deploy", index: 1, count: 4, step: "draining", startedAt: "2026-01-01T00:02:00Z" },
  instances: [
    { instanceId: "i-1", role: "old", phase: "draining", availabilityZone: "us-east-1a", connections: 900 },
    { instanceId: "i-9", role: "new", phase: "booting", availabilityZone: "us-east-1a" },
  ],
  capacity: { healthy: 8, minimum: 9, desired: 12 },
  startedAt: "2026-01-01T00:00:00Z", elapsedSeconds: 185, etaSeconds: 300, outcome: undefined,
  ...overrides,
});

describe("the live view", () => {
  it("shows batch k of n, each instance's phase, healthy capacity against the minimum, elapsed and ETA", () => {
    expect(progressLines(progress(), "RUNNING")).toEqual([
      "deploy v2 · app → v2 · InProgress (execution RUNNING)",
      "batch 2/4 · draining · healthy 8 of 12 (minimum 9) BELOW MINIMUM · elapsed 3m05s · eta 5m00s",
      "  - i-1 (us-east-1a)  deregistered, draining, 900 connections left",
      "  + i-9 (us-east-1a)  booting",
    ]);
  });

  it("without a terminal prints one line per change: a count ticking down is not a change", () => {
    const seen = new Map<string, string>();
    expect(changeLines(progress(), "RUNNING", seen)).toHaveLength(5);
    const later = progress({ elapsedSeconds: 190, instances: [{ instanceId: "i-1", role: "old", phase: "draining", connections: 500 }, { instanceId: "i-9", role: "new", phase: "health-checking" }] });
    expect(changeLines(later, "RUNNING", seen)).toEqual(["[ 3m10s] + i-9  registered, health checking"]);
  });

  it("writes durations the way people read them", () => {
    expect([duration(45), duration(185), duration(3720)]).toEqual(["45s", "3m05s", "1h02m"]);
  });
});
