import middy from "@middy/core";
import type { Context } from "aws-lambda";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { recordDrained } from "../../core/metrics.ts";
import { configureRuntime, createRuntime, resetRuntime } from "../../core/runtime.ts";
import { handler } from "../../functions/publish-fleet-metrics.ts";
import { correlationKeys, observe } from "../../functions/lib/observed.ts";
import { inProcessClientConfig } from "../../sim/aws-clients.ts";
import { scenarioConfigSchema } from "../../sim/config/schema.ts";
import { World } from "../../sim/world.ts";
import { lambdaContext } from "./support.ts";

const STAGE = { stage: "test", autoScalingGroups: ["ebb-demo-asg"], tables: { locks: "l-t", deploys: "d-t", idempotency: "i-t" } };
let lines: string[];
let savedEnv: string | undefined;

// Powertools writes through its own Console on process.stdout: what Lambda ships to CloudWatch Logs.
beforeEach(() => {
  savedEnv = process.env.POWERTOOLS_METRICS_DISABLED;
  delete process.env.POWERTOOLS_METRICS_DISABLED;
  lines = [];
  vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    lines.push(...String(chunk).split("\n").filter((line) => line.length > 0));
    return true;
  });
});
afterEach(() => {
  vi.restoreAllMocks();
  resetRuntime();
  if (savedEnv === undefined) delete process.env.POWERTOOLS_METRICS_DISABLED;
  else process.env.POWERTOOLS_METRICS_DISABLED = savedEnv;
});

const parsed = (): Record<string, unknown>[] => lines.map((line) => JSON.parse(line) as Record<string, unknown>);

describe("the handler wrapper", () => {
  it("puts the Lambda context and the event's correlation ids on the handler's log lines", async () => {
    const world = new World(scenarioConfigSchema.parse({ fleet: { desiredCapacity: 2 }, aws: { apiLatencyMs: 0 }, run: { kind: "idle" } }));
    configureRuntime({ clientConfig: inProcessClientConfig(world), clock: world.clock, stage: STAGE, logLevel: "DEBUG" });
    await handler({ groupName: "ebb-demo-asg" }, lambdaContext("publish-fleet-metrics"));
    const line = parsed().find((entry) => entry.message === "publish-fleet-metrics");
    expect(line).toMatchObject({
      function_name: "publish-fleet-metrics",
      function_request_id: "00000000-0000-4000-8000-000000000001",
      function_arn: "arn:aws:lambda:us-east-1:123456789012:function:publish-fleet-metrics",
      cold_start: expect.any(Boolean),
      groupName: "ebb-demo-asg",
    });
  });

  it("flushes the invocation's metrics as one EMF document in namespace Ebb", async () => {
    const rt = createRuntime({ stage: STAGE, logLevel: "SILENT" });
    const run = observe(middy(async (_event: unknown, _context: Context) => recordDrained(rt, 120, 3)), rt);
    await run({ deployId: "d-1" }, lambdaContext("complete-batch"));
    const emf = parsed().find((entry) => "_aws" in entry);
    expect(emf).toMatchObject({
      _aws: { CloudWatchMetrics: [{ Namespace: "Ebb", Metrics: expect.arrayContaining([{ Name: "ConnectionsDrained", Unit: "Count" }, { Name: "ForcedDisconnects", Unit: "Count" }]) }] },
      ConnectionsDrained: 120,
      ForcedDisconnects: 3,
      service: "ebb",
    });
  });

  it("finds deploy, lifecycle action and group ids in task inputs and in EventBridge events", () => {
    expect(correlationKeys({ deployId: "d-1", groupName: "g" })).toEqual({ deployId: "d-1", groupName: "g" });
    expect(correlationKeys({ detail: { LifecycleActionToken: "tok", AutoScalingGroupName: "g" } })).toEqual({ lifecycleActionToken: "tok", groupName: "g" });
    expect(correlationKeys("not an object")).toEqual({});
  });
});
