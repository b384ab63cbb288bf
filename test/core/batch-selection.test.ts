import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { minHealthyCount, selectBatch, type BatchSelectionRequest } from "../../core/batch-selection.ts";
import type { InstanceView } from "../../core/types.ts";

const requestArbitrary = fc
  .record({
    states: fc.array(fc.record({ lifecycleState: fc.constantFrom("InService", "InService", "Pending", "Pending:Wait"), serving: fc.boolean() }), { minLength: 0, maxLength: 30 }),
    othersServing: fc.integer({ min: 0, max: 30 }),
    minHealthyPercent: fc.integer({ min: 0, max: 100 }),
    mode: fc.constantFrom("replace" as const, "surge" as const),
    batchSize: fc.integer({ min: 1, max: 10 }),
    maxServingOutOfService: fc.integer({ min: 1, max: 10 }),
  })
  .map((drawn): BatchSelectionRequest => {
    const remaining = drawn.states.map((state, index): InstanceView => ({
      instanceId: `i-${index}`,
      availabilityZone: "us-east-1a",
      lifecycleState: state.lifecycleState,
      healthStatus: "Healthy",
      launchTemplateVersion: "1",
      protectedFromScaleIn: false,
    }));
    const serving = new Set(remaining.filter((_, index) => drawn.states[index]?.serving === true && drawn.states[index]?.lifecycleState === "InService").map((instance) => instance.instanceId));
    return {
      remaining,
      serving,
      servingCount: serving.size + drawn.othersServing,
      desiredCapacity: remaining.length + drawn.othersServing,
      minHealthyPercent: drawn.minHealthyPercent,
      mode: drawn.mode,
      batchSize: drawn.batchSize,
      maxServingOutOfService: drawn.maxServingOutOfService,
    };
  });

describe("selectBatch", () => {
  it("takes only InService instances, the ones not serving first, within the batch size and the minHealthyPercent budget", () => {
    fc.assert(
      fc.property(requestArbitrary, (request) => {
        const { instanceIds, notInService } = selectBatch(request);
        const byId = new Map(request.remaining.map((instance) => [instance.instanceId, instance]));
        expect(instanceIds.length).toBeLessThanOrEqual(request.batchSize);
        for (const id of instanceIds) expect(byId.get(id)?.lifecycleState).toBe("InService");
        expect(notInService).toEqual(request.remaining.filter((instance) => instance.lifecycleState !== "InService").map((instance) => instance.instanceId));
        const servingTaken = instanceIds.filter((id) => request.serving.has(id)).length;
        const firstServing = instanceIds.findIndex((id) => request.serving.has(id));
        // Not serving first: once a serving instance is taken, no idle one is left behind.
        if (firstServing >= 0) {
          const idleLeft = request.remaining.some((instance) => instance.lifecycleState === "InService" && !request.serving.has(instance.instanceId) && !instanceIds.includes(instance.instanceId));
          expect(idleLeft).toBe(false);
          expect(instanceIds.slice(firstServing).every((id) => request.serving.has(id))).toBe(true);
        }
        if (request.mode === "replace" && servingTaken > 0) {
          expect(request.servingCount - servingTaken).toBeGreaterThanOrEqual(minHealthyCount(request.desiredCapacity, request.minHealthyPercent));
          expect(servingTaken).toBeLessThanOrEqual(request.maxServingOutOfService);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("shrinks a batch when an instance outside it is already unhealthy (12 desired, 11 serving, 75%: two serving may go)", () => {
    const instance = (id: string): InstanceView => ({ instanceId: id, availabilityZone: "a", lifecycleState: "InService", healthStatus: "Healthy", launchTemplateVersion: "1", protectedFromScaleIn: false });
    const remaining = ["a", "b", "c", "d"].map(instance);
    const selection = selectBatch({ remaining, serving: new Set(["a", "b", "c", "d"]), servingCount: 11, desiredCapacity: 12, minHealthyPercent: 75, mode: "replace", batchSize: 3, maxServingOutOfService: 3 });
    expect(selection.instanceIds).toEqual(["a", "b"]);
    expect(selection.heldForCapacity).toEqual(["c", "d"]);
  });
});
