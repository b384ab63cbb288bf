import { describe, expect, it } from "vitest";
import { loadScenario } from "../../../sim/scenarios.ts";
import { simulate } from "../../../sim/simulate.ts";

describe("baselines in the same emulator", () => {
  it("instance-refresh drains by deregistration delay only, so clients are cut off", async () => {
    const report = await simulate(loadScenario("rolling-deploy"), { strategy: "instance-refresh" });
    expect(report.outcome).toBe("Succeeded");
    expect(report.fleet.versions).toEqual({ "2": 12 });
    expect(report.connections.forcedDisconnects).toBeGreaterThan(1000);
    expect(report.stepFunctions.executions).toBe(0);
  });

  it("instance-refresh on a bad release fails after an hour, as Instance Refresh does, instead of replacing forever", async () => {
    const report = await simulate(loadScenario("bad-release"), { strategy: "instance-refresh" });
    expect(report.outcome).toBe("Failed");
    const refreshEndedAt = report.durationSeconds - report.quiescence.settleSeconds;
    expect(refreshEndedAt).toBeGreaterThanOrEqual(3600);
    expect(refreshEndedAt).toBeLessThan(2 * 3600);
    // The group still launches v2, which never passes its health check, so the ASG's own ELB health
    // check keeps replacing it after the refresh failed, as on AWS: the world never settles.
    expect(report.quiescence.quiescent).toBe(false);
  });

  it("seed-script replaces one server at a time on fixed sleeps, cutting clients off", async () => {
    const report = await simulate(loadScenario("rolling-deploy"), { strategy: "seed-script" });
    expect(report.outcome).toBe("Succeeded");
    expect(report.fleet.versions["2"]).toBe(12);
    expect(report.connections.forcedDisconnects).toBeGreaterThan(1000);
    expect(report.aws.apiCalls["autoscaling:TerminateInstanceInAutoScalingGroup"]).toBe(12);
  });
});
