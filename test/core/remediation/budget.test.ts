import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { replacementsInWindow, takeReplacementSlot } from "../../../core/remediation/budget.ts";
import { createRuntime, type Runtime } from "../../../core/runtime.ts";
import { startTestDynamo, testTables, type TestDynamo } from "../support/dynamo.ts";

let dynamo: TestDynamo;
let nowMs = Date.parse("2026-01-01T00:00:00Z");
let rt: Runtime;

beforeAll(async () => {
  dynamo = await startTestDynamo();
  rt = createRuntime({
    dynamoDbClientConfig: dynamo.clientConfig,
    clock: { now: () => new Date(nowMs) },
    stage: { stage: "test", autoScalingGroups: ["web"], tables: testTables, remediation: { budget: { maxPerWindow: 2, windowSeconds: 3600 } } },
    logLevel: "SILENT",
  });
});
afterAll(async () => {
  await dynamo.db.stop();
});

describe("the replacement budget counter (dynalite)", () => {
  it("counts each instance once per window (a retried step does not count twice) and refuses past the budget", async () => {
    expect(await takeReplacementSlot(rt, "web", "i-1")).toBe(true);
    expect(await takeReplacementSlot(rt, "web", "i-1")).toBe(true);
    expect(await replacementsInWindow(rt, "web")).toBe(1);
    // Two executions racing for the last slot: exactly one gets it.
    const [second, third] = await Promise.all([takeReplacementSlot(rt, "web", "i-2"), takeReplacementSlot(rt, "web", "i-3")]);
    expect([second, third].filter(Boolean)).toHaveLength(1);
    expect(await replacementsInWindow(rt, "web")).toBe(2);
    expect(await takeReplacementSlot(rt, "web", "i-4")).toBe(false);
  });

  it("starts over in the next window, per group", async () => {
    expect(await takeReplacementSlot(rt, "other", "i-9")).toBe(true);
    nowMs += 3600 * 1000;
    expect(await replacementsInWindow(rt, "web")).toBe(0);
    expect(await takeReplacementSlot(rt, "web", "i-4")).toBe(true);
  });
});
