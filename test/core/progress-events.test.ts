import "../../core/clients/eventbridge.ts";
import { describe, expect, it, vi } from "vitest";
import { PROGRESS_DETAIL_TYPES, publishProgress, type ProgressEvent } from "../../core/progress-events/publish.ts";
import { createRuntime, type Runtime } from "../../core/runtime.ts";
import { inProcessClientConfig } from "../../sim/aws-clients.ts";
import type { World } from "../../sim/world.ts";
import { newWorld } from "../support/protocol.ts";
import { testTables } from "./support/dynamo.ts";

const runtimeFor = (world: World, stage: Record<string, unknown> = {}): Runtime =>
  createRuntime({
    clientConfig: inProcessClientConfig(world, { maxAttempts: 1 }),
    clock: { now: () => new Date(world.clock.nowMs) },
    stage: { stage: "test", autoScalingGroups: ["web"], tables: testTables, ...stage },
    logLevel: "SILENT",
  });

const event: ProgressEvent = { detailType: PROGRESS_DETAIL_TYPES.batchCompleted, eventId: "d-1:deploy:batch:1", autoScalingGroupName: "web", detail: { deployId: "d-1", batch: 1 } };

const failedCount = (rt: Runtime): unknown => (rt.metrics.serializeMetrics() as unknown as Record<string, unknown>)["ProgressEventsFailed"];

describe("publishProgress", () => {
  it("puts one event with source ebb on the stage's bus, its id in the detail", async () => {
    const world = newWorld();
    const rt = runtimeFor(world);
    expect(await publishProgress(rt, event)).toBe(true);
    const put = world.events.published().filter((each) => each.source === "ebb");
    expect(put).toHaveLength(1);
    expect(put[0]).toMatchObject({ "detail-type": "Ebb Batch Completed", detail: { eventId: "d-1:deploy:batch:1", stage: "test", autoScalingGroupName: "web", deployId: "d-1", batch: 1 } });
    expect(failedCount(rt)).toBeUndefined();
  });

  it("counts an entry EventBridge refused (HTTP 200, FailedEntryCount 1) and does not throw", async () => {
    const world = newWorld();
    const rt = runtimeFor(world, { eventBusName: "no-such-bus" });
    const warn = vi.spyOn(rt.logger, "warn");
    expect(await publishProgress(rt, event)).toBe(false);
    expect(failedCount(rt)).toBe(1);
    expect(warn).toHaveBeenCalledWith("Progress event not accepted", expect.objectContaining({ errorCode: "InvalidArgument", eventId: "d-1:deploy:batch:1" }));
    expect(world.events.published().filter((each) => each.source === "ebb")).toEqual([]);
  });

  it("counts a failed call and does not throw", async () => {
    const world = newWorld({ faults: { api: [{ service: "events", kind: "server-error", rate: 1 }] } });
    const rt = runtimeFor(world);
    expect(await publishProgress(rt, event)).toBe(false);
    expect(failedCount(rt)).toBe(1);
  });
});
