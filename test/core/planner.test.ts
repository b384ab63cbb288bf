import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DeployPlanInfeasible } from "../../core/errors.ts";
import { isHealthy } from "../../core/health.ts";
import { batchSizeInInstances, planDeploy, type PlanRequest, type PlanTiming } from "../../core/planner.ts";
import type { InstanceView } from "../../core/types.ts";

const timing: PlanTiming = {
  bootSeconds: 60,
  shedRatePerSecond: 40,
  drainTimeoutSeconds: 300,
  drainSignal: "ssm",
  maxRemainingConnections: 0,
  deregistrationDelaySeconds: 300,
  healthCheckIntervalSeconds: 10,
  consecutiveHealthyChecks: 1,
  bakeSeconds: 0,
};

const instanceArbitrary = fc.record({
  availabilityZone: fc.constantFrom("us-east-1a", "us-east-1b", "us-east-1c"),
  lifecycleState: fc.constantFrom("InService", "InService", "InService", "Standby", "Pending"),
  healthStatus: fc.constantFrom("Healthy", "Healthy", "Healthy", "Unhealthy"),
  launchTemplateVersion: fc.constantFrom("1", "1", "1", "2"),
  protectedFromScaleIn: fc.integer({ min: 0, max: 4 }).map((draw) => draw === 0),
});

const fleetArbitrary = fc.array(instanceArbitrary, { minLength: 1, maxLength: 60 }).map((list) =>
  list.map((instance, index): InstanceView => ({ ...instance, instanceId: `i-${String(index).padStart(4, "0")}` })),
);

const requestArbitrary = fc
  .record({
    instances: fleetArbitrary,
    batchSize: fc.oneof(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 100 }).map((percent) => `${percent}%`)),
    mode: fc.constantFrom("replace" as const, "surge" as const),
    minHealthyPercent: fc.integer({ min: 0, max: 100 }),
  })
  .map(
    (fields): PlanRequest => ({
      ...fields,
      desiredCapacity: fields.instances.length,
      targetVersion: "2",
      connections: {},
      timing,
    }),
  );

/** Runs the plan or returns undefined when it is (correctly) infeasible. */
const tryPlan = (request: PlanRequest): ReturnType<typeof planDeploy> | undefined => {
  try {
    return planDeploy(request);
  } catch (error) {
    if (error instanceof DeployPlanInfeasible) return undefined;
    throw error;
  }
};

describe("planDeploy", () => {
  it("plans every eligible instance exactly once and keeps (and lists) the others", () => {
    fc.assert(
      fc.property(requestArbitrary, (request) => {
        const plan = tryPlan(request);
        if (plan === undefined) return;
        const planned = plan.batches.flatMap((batch) => batch.instanceIds);
        expect(new Set(planned).size).toBe(planned.length);
        const skipped = new Map(plan.skipped.map((entry) => [entry.instanceId, entry.reason]));
        for (const instance of request.instances) {
          const eligible =
            instance.launchTemplateVersion !== "2" && !instance.protectedFromScaleIn && instance.lifecycleState !== "Standby";
          expect(planned.includes(instance.instanceId), instance.instanceId).toBe(eligible);
          expect(skipped.has(instance.instanceId)).toBe(!eligible);
        }
        for (const [id, reason] of skipped) {
          const instance = request.instances.find((candidate) => candidate.instanceId === id);
          if (reason === "protected-from-scale-in") expect(instance?.protectedFromScaleIn).toBe(true);
          if (reason === "standby") expect(instance?.lifecycleState).toBe("Standby");
          if (reason === "on-target-version") expect(instance?.launchTemplateVersion).toBe("2");
        }
      }),
      { numRuns: 300 },
    );
  });

  it("never takes the fleet below minHealthyPercent in replace mode, and keeps batches within the batch size", () => {
    fc.assert(
      fc.property(requestArbitrary, (request) => {
        const plan = tryPlan(request);
        if (plan === undefined) return;
        const size = batchSizeInInstances(request.batchSize, request.desiredCapacity);
        const minHealthy = Math.ceil((request.desiredCapacity * request.minHealthyPercent) / 100);
        const byId = new Map(request.instances.map((instance) => [instance.instanceId, instance]));
        let healthy = request.instances.filter(isHealthy).length;
        for (const batch of plan.batches) {
          expect(batch.instanceIds.length).toBeGreaterThan(0);
          expect(batch.instanceIds.length).toBeLessThanOrEqual(size);
          const members = batch.instanceIds.map((id) => byId.get(id) as InstanceView);
          const healthyOut = members.filter(isHealthy).length;
          // A batch may replace unhealthy instances whatever the count; it never takes a healthy one below the floor.
          if (request.mode === "replace" && healthyOut > 0) expect(healthy - healthyOut).toBeGreaterThanOrEqual(minHealthy);
          // After the batch its replacements are verified healthy.
          healthy = Math.min(request.desiredCapacity, healthy + members.length - healthyOut);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("balances Availability Zones within each batch of a healthy fleet", () => {
    const healthyFleet = fc
      .array(fc.constantFrom("us-east-1a", "us-east-1b", "us-east-1c"), { minLength: 1, maxLength: 60 })
      .map((zones) =>
        zones.map((availabilityZone, index): InstanceView => ({
          instanceId: `i-${index}`,
          availabilityZone,
          lifecycleState: "InService",
          healthStatus: "Healthy",
          launchTemplateVersion: "1",
          protectedFromScaleIn: false,
        })),
      );
    fc.assert(
      fc.property(healthyFleet, fc.integer({ min: 1, max: 12 }), (instances, batchSize) => {
        const plan = planDeploy({ instances, desiredCapacity: instances.length, targetVersion: "2", batchSize, mode: "surge", minHealthyPercent: 100, connections: {}, timing });
        const remaining = new Map<string, number>();
        for (const instance of instances) remaining.set(instance.availabilityZone, (remaining.get(instance.availabilityZone) ?? 0) + 1);
        for (const batch of plan.batches) {
          const zonesLeft = [...remaining].filter(([, count]) => count > 0).map(([zone]) => zone);
          const counts = zonesLeft.map((zone) => batch.availabilityZones[zone] ?? 0);
          // Zones that still had instances differ by at most one, unless a zone ran out.
          const exhausted = zonesLeft.some((zone) => (batch.availabilityZones[zone] ?? 0) === remaining.get(zone));
          if (!exhausted) expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
          for (const [zone, count] of Object.entries(batch.availabilityZones)) remaining.set(zone, (remaining.get(zone) ?? 0) - count);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("caps the batch size for minHealthyPercent and says so", () => {
    const instances = Array.from({ length: 12 }, (_, index): InstanceView => ({
      instanceId: `i-${index}`,
      availabilityZone: ["a", "b", "c"][index % 3] ?? "a",
      lifecycleState: "InService",
      healthStatus: "Healthy",
      launchTemplateVersion: "1",
      protectedFromScaleIn: index === 0,
    }));
    const plan = planDeploy({ instances, desiredCapacity: 12, targetVersion: "2", batchSize: "50%", mode: "replace", minHealthyPercent: 75, connections: { "i-1": 1000 }, timing });
    expect(plan.batches.map((batch) => batch.instanceIds.length)).toEqual([3, 3, 3, 2]);
    expect(plan.notes.join(" ")).toContain("capped from 6 to 3");
    expect(plan.skipped).toEqual([{ instanceId: "i-0", reason: "protected-from-scale-in" }]);
    // 1000 connections at 40/s: 25 s of drain, then 60 s boot + the one 10 s check a new target needs
    // ("After your target is registered, it must pass one health check to be considered healthy":
    // Health checks for Application Load Balancer target groups,
    // https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html).
    expect(plan.batches[0]?.predictedSeconds).toBe(25 + 70);
    expect(plan.predictedSeconds).toBe(95 + 3 * 70);
    // Under a 600/min budget the batch's 3 instances share 570/min: 3.167/s each, 1000 connections in 316 s.
    const paced = planDeploy({ instances, desiredCapacity: 12, targetVersion: "2", batchSize: "50%", mode: "replace", minHealthyPercent: 75, connections: { "i-1": 1000 }, timing: { ...timing, drainTimeoutSeconds: 900, maxReconnectsPerMinute: 600 } });
    expect(paced.batches[0]?.predictedSeconds).toBe(316 + 70);
  });

  it("refuses replace mode when no healthy instance may leave service", () => {
    const instances: InstanceView[] = [
      { instanceId: "i-1", availabilityZone: "a", lifecycleState: "InService", healthStatus: "Healthy", launchTemplateVersion: "1", protectedFromScaleIn: false },
    ];
    expect(() => planDeploy({ instances, desiredCapacity: 1, targetVersion: "2", batchSize: 1, mode: "replace", minHealthyPercent: 100, connections: {}, timing })).toThrow(DeployPlanInfeasible);
  });
});
