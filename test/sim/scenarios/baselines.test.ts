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

  // StartInstanceRefresh reference, Preferences: MinHealthyPercentage defaults to 90; InstanceWarmup
  // defaults to the group's default instance warmup, else its health check grace period.
  it("instance-refresh at AWS's defaults sends no Preferences, so the refresh keeps 90% healthy and warms up for the grace period", async () => {
    const base = loadScenario("rolling-deploy");
    if (base.run.kind !== "rolling-deploy") throw new Error("rolling-deploy is a deploy");
    const report = await simulate({ ...base, run: { ...base.run, refreshPreferences: "aws-defaults" } }, { strategy: "instance-refresh" });
    expect(report.outcome).toBe("Succeeded");
    expect(report.output).toMatchObject({ Preferences: { MinHealthyPercentage: 90, InstanceWarmup: base.fleet.healthCheckGracePeriodSeconds } });
    expect(report.capacity.minHealthyPercent).toBeGreaterThanOrEqual(90);
  });

  it("seed-script stops at run.maxVirtualSeconds instead of running past it", async () => {
    const base = loadScenario("rolling-deploy");
    if (base.run.kind !== "rolling-deploy") throw new Error("rolling-deploy is a deploy");
    const report = await simulate({ ...base, run: { ...base.run, maxVirtualSeconds: 600 } }, { strategy: "seed-script" });
    expect(report.outcome).toBe("Aborted");
    expect(report.cause).toMatch(/still running after 600 virtual seconds/);
    expect(report.aws.apiCalls["autoscaling:TerminateInstanceInAutoScalingGroup"]).toBeLessThan(12);
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
