import { describe, expect, it } from "vitest";
import { parseScenarioConfig } from "../../../sim/scenarios.ts";
import { simulate } from "../../../sim/simulate.ts";

/*
 * A terminate action stays open while Ebb heartbeats it; without a heartbeat within
 * HeartbeatTimeout, Auto Scaling applies the DefaultResult —
 * https://docs.aws.amazon.com/autoscaling/ec2/userguide/lifecycle-hooks-overview.html
 * A Wait state delays the execution for the time it names, no longer —
 * https://docs.aws.amazon.com/step-functions/latest/dg/state-wait.html
 */
describe("the world settling while Ebb's hook workflows still run", () => {
  it("keeps their heartbeats and Waits on time: the drain that outlasts the strategy's watch still ends in CONTINUE, no timeout", async () => {
    // One of two instances leaves; its ~200 connections shed at 1/s (≈ 200 s), under a 60 s
    // HeartbeatTimeout. The strategy stops watching after 150 s, so most of the drain (and all
    // but the first heartbeats) happens while the world settles.
    const config = parseScenarioConfig(
      {
        fleet: {
          desiredCapacity: 2,
          targetRegistration: "ebb",
          lifecycleHooks: [
            { name: "ebb-launch", transition: "launch", heartbeatTimeoutSeconds: 300, defaultResult: "ABANDON" },
            { name: "ebb-terminate", transition: "terminate", heartbeatTimeoutSeconds: 60, defaultResult: "CONTINUE" },
          ],
        },
        clients: { sessions: 400, churnPerHour: 0 },
        app: { drainRatePerSecond: 1 },
        run: { kind: "scale", desiredCapacity: 1, maxVirtualSeconds: 150 },
      },
      "test",
    );
    const report = await simulate(config);
    expect(report.lifecycle).toMatchObject({ completed: 1, timedOut: 0, duplicateCompletions: 0 });
    expect(report.outcome, report.cause).toBe("Succeeded");
    // More than a HeartbeatTimeout of the drain went by while the world settled.
    expect(report.quiescence).toMatchObject({ quiescent: true });
    expect(report.quiescence.settleSeconds).toBeGreaterThan(60);
    expect(report.lifecycle.heartbeats).toBeGreaterThanOrEqual(3);
    expect(report.connections.forcedDisconnects).toBe(0);
  });
});
