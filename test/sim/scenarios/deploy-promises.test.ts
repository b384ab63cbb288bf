import { describe, expect, it } from "vitest";
import type { ScenarioConfig } from "../../../sim/config/schema.ts";
import { loadScenario } from "../../../sim/scenarios.ts";
import { simulate } from "../../../sim/simulate.ts";
import type { SimulationReport } from "../../../sim/report/report.ts";
import { fleetAfterRun, type FleetAfterRun } from "./support/promises.ts";

async function run(name: string, config: ScenarioConfig = loadScenario(name)): Promise<{ report: SimulationReport; fleet: FleetAfterRun }> {
  let fleet: FleetAfterRun | undefined;
  const report = await simulate(config, {
    onFinished: async (world) => {
      fleet = await fleetAfterRun(world);
    },
  });
  if (fleet === undefined) throw new Error("the run never finished");
  return { report, fleet };
}

const calls = (report: SimulationReport, action: string): number => report.aws.apiCalls[action] ?? 0;

/** What every deploy promises to leave: the group as configured (desired, MaxSize, processes, delays) and nobody deregistered while running. */
function expectGroupAsConfigured(name: string, fleet: FleetAfterRun, launchTemplateVersion: string): void {
  const config = loadScenario(name);
  expect(fleet.desiredCapacity).toBe(config.fleet.desiredCapacity);
  expect(fleet.maxSize).toBe(config.fleet.maxSize ?? Math.max(1, config.fleet.desiredCapacity * 2));
  expect(fleet.launchTemplateVersion).toBe(launchTemplateVersion);
  expect(fleet.suspendedProcesses).toEqual([]);
  expect(fleet.deregistrationDelaySeconds).toEqual([config.targetGroup.deregistrationDelaySeconds]);
  expect(fleet.deregisteredButRunning).toEqual([]);
}

// CloudFormation, "UpdatePolicy attribute", AutoScalingRollingUpdate SuspendProcesses ("suspending processes prevents
// Auto Scaling from interfering with a stack update"):
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-updatepolicy.html
// Amazon EC2 Auto Scaling, "How suspended processes affect other processes":
// https://docs.aws.amazon.com/autoscaling/ec2/userguide/understand-how-suspending-processes-affects-other-processes.html
const suspendedForTheDeploy = (report: SimulationReport): void => {
  expect(calls(report, "autoscaling:SuspendProcesses")).toBeGreaterThanOrEqual(1);
  expect(calls(report, "autoscaling:ResumeProcesses")).toBeGreaterThanOrEqual(1);
};

describe("chatpulse scenario (seeds/000: 30 s deregistration delay, 30 s health checks, healthy after 2, 50% batches)", () => {
  // ALB deregistration delay: when it expires the load balancer closes what is still open —
  // https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-target-groups.html#deregistration-delay
  it("deploys with no forced disconnect: the delay is raised to cover the drain for the deploy, then restored to 30 s", async () => {
    const { report, fleet } = await run("chatpulse");
    expect(report.outcome, report.cause).toBe("Succeeded");
    expect(report.connections.forcedDisconnects).toBe(0);
    expect(report.instances.terminatedWithoutDrain).toBe(0);
    expect(report.fleet.versions).toEqual({ "2": 4 });
    expect(report.capacity.minHealthyPercent).toBeGreaterThanOrEqual(50);
    expect(calls(report, "elasticloadbalancing:ModifyTargetGroupAttributes")).toBe(2);
    suspendedForTheDeploy(report);
    expectGroupAsConfigured("chatpulse", fleet, "2");
  });
});

describe("ssm-failure-mid-batch scenario (every SendCommand fails, after the batch was deregistered)", () => {
  it("rolls back with the batch registered back: nothing deregistered while running, nobody cut off", async () => {
    const { report, fleet } = await run("ssm-failure-mid-batch");
    expect(report.outcome).toBe("RolledBack");
    expect(report.cause).toMatch(/InternalServerError/);
    expect(report.connections.forcedDisconnects).toBe(0);
    expect(report.fleet.versions).toEqual({ "1": 12 });
    expect(report.capacity.minHealthyPercent).toBeGreaterThanOrEqual(75);
    expect(calls(report, "elasticloadbalancing:RegisterTargets")).toBeGreaterThanOrEqual(1);
    suspendedForTheDeploy(report);
    expectGroupAsConfigured("ssm-failure-mid-batch", fleet, "1");
  });
});

describe("shared-outage-during-deploy scenario (every target fails its health check for two minutes)", () => {
  // Amazon EC2 Auto Scaling health checks: an instance marked unhealthy "never automatically recovers its health";
  // SetInstanceHealth is the way back, "probably useful only for a suspended group" —
  // https://docs.aws.amazon.com/autoscaling/ec2/userguide/healthcheck.html
  it("pauses, then rolls back with the outage as its cause: no replacement counted as progress, nobody cut off, health marks cleared", async () => {
    const { report, fleet } = await run("shared-outage-during-deploy");
    expect(report.outcome).toBe("RolledBack");
    expect(report.cause).toMatch(/CapacityLost: .*not the deploy/);
    expect(report.connections.forcedDisconnects).toBe(0);
    expect(report.instances.terminatedWithoutDrain).toBe(0);
    expect(report.fleet.versions).toEqual({ "1": 12 });
    // The outage itself took every target out (not the deploy): minHealthyPercent cannot hold here.
    expect(calls(report, "autoscaling:SetInstanceHealth")).toBeGreaterThanOrEqual(1);
    suspendedForTheDeploy(report);
    expectGroupAsConfigured("shared-outage-during-deploy", fleet, "1");
  });
});

describe("abort-during-surge scenario (stopped while the first surge batch boots, MaxSize = desired)", () => {
  it("leaves the group as configured before the deploy: desired 12, MaxSize 12, launch template 1, processes resumed", async () => {
    const { report, fleet } = await run("abort-during-surge");
    expect(report.outcome).toBe("Aborted");
    expect(report.connections.forcedDisconnects).toBe(0);
    expect(report.instances.launched).toBe(3);
    expect(report.capacity.minHealthyPercent).toBeGreaterThanOrEqual(100);
    suspendedForTheDeploy(report);
    expectGroupAsConfigured("abort-during-surge", fleet, "1");
  });
});

describe("rolling-deploy with Ebb-owned target registration (fleet.targetRegistration ebb)", () => {
  it("verifies health in the stage's target groups: every new instance registered, none left out", async () => {
    const base = loadScenario("rolling-deploy");
    const { report, fleet } = await run("rolling-deploy", { ...base, fleet: { ...base.fleet, targetRegistration: "ebb" } });
    expect(report.outcome, report.cause).toBe("Succeeded");
    expect(report.connections.forcedDisconnects).toBe(0);
    expect(report.fleet.versions).toEqual({ "2": 12 });
    expect(calls(report, "elasticloadbalancing:RegisterTargets")).toBeGreaterThanOrEqual(1);
    expect(fleet.deregisteredButRunning).toEqual([]);
  });
});
