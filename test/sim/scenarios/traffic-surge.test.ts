import { describe, expect, it } from "vitest";
import { loadScenario } from "../../../sim/scenarios.ts";
import { simulate } from "../../../sim/simulate.ts";

/** The traffic-surge acceptance: Ebb's connection metric with target tracking against seeds/000's CPU policy. */
describe("traffic-surge: 3 instances, sessions 3,000 → 30,000 over 20 minutes and back", () => {
  it("keeps the fleet's connections per instance within 1.3× the target with Ebb's policy; seeds/000's CPU policy does not", async () => {
    const ebb = await simulate(loadScenario("traffic-surge"), { strategy: "ebb" });
    const cpu = await simulate(loadScenario("traffic-surge"), { strategy: "cpu-policy" });
    for (const report of [ebb, cpu]) {
      expect(report.outcome).toBe("Succeeded");
      expect(report.quiescence.quiescent).toBe(true);
      expect(report.fleet.desiredCapacity).toBeGreaterThanOrEqual(3);
    }
    const target = ebb.scaling?.targetConnectionsPerInstance ?? 0;
    expect(target).toBe(2000);
    expect(ebb.scaling?.p95ConnectionsPerInstance).toBeLessThanOrEqual(1.3 * target);
    expect(cpu.scaling?.p95ConnectionsPerInstance).toBeGreaterThan(1.3 * target);
    expect(ebb.scaling?.scaleOuts).toBeGreaterThan(0);
    expect(ebb.scaling?.scaleIns).toBeGreaterThan(0);
    // Ebb owns registration: its terminate hook drains every scale-in victim before the ASG terminates it.
    expect(ebb.scaling?.forcedDisconnects).toBe(0);
    expect(ebb.instances.terminatedWithoutDrain).toBe(0);
    expect(ebb.fleet.deregisteredButRunning).toBe(0);
    // The publisher ran every minute through the real SDK (for both: only Ebb's policy reads it).
    expect(ebb.aws.apiCalls["monitoring:PutMetricData"]).toBeGreaterThanOrEqual(80);
    expect(ebb.aws.apiCalls["autoscaling:PutScalingPolicy"]).toBe(1);
    expect(cpu.aws.apiCalls["autoscaling:PutScalingPolicy"]).toBe(2);
  });
});
