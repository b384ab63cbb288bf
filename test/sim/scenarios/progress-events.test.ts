import { describe, expect, it } from "vitest";
import type { EventBridgeEvent } from "../../../emulator/events/types.ts";
import { scenarioConfigSchema } from "../../../sim/config/schema.ts";
import { loadScenario } from "../../../sim/scenarios.ts";
import { simulate } from "../../../sim/simulate.ts";
import type { World } from "../../../sim/world.ts";

/** Runs a scenario and keeps the bus's ebb events, as a rule on {source: ["ebb"]} would see them. */
async function run(name: string, faults?: unknown) {
  let world: World | undefined;
  const base = loadScenario(name);
  const config = faults === undefined ? base : scenarioConfigSchema.parse({ ...base, faults: { ...base.faults, ...(faults as object) } });
  const report = await simulate(config, { onStart: (started) => (world = started) });
  const seen: EventBridgeEvent<Record<string, unknown>>[] = [];
  for (const event of world?.events.published() ?? []) if (event.source === "ebb") seen.push(event as EventBridgeEvent<Record<string, unknown>>);
  return { report, seen };
}

describe("Ebb's progress events on the simulated default bus", () => {
  it("rolling-deploy: started, one per batch completed, finished Succeeded, each with a stable distinct id", async () => {
    const { report, seen } = await run("rolling-deploy");
    expect(report.events.ebb).toEqual({ "Ebb Deploy Started": 1, "Ebb Batch Completed": 4, "Ebb Deploy Finished": 1 });
    expect(seen.map((event) => event["detail-type"])).toEqual(["Ebb Deploy Started", ...Array<string>(4).fill("Ebb Batch Completed"), "Ebb Deploy Finished"]);
    const deployId = seen[0]?.detail["deployId"];
    expect(seen.every((event) => event.detail["deployId"] === deployId && typeof event.detail["autoScalingGroupName"] === "string")).toBe(true);
    expect(seen.filter((event) => event["detail-type"] === "Ebb Batch Completed").map((event) => [event.detail["batch"], event.detail["eventId"]])).toEqual(
      [1, 2, 3, 4].map((n) => [n, `${String(deployId)}:deploy:batch:${n}`]),
    );
    expect(seen[5]?.detail).toMatchObject({ outcome: "Succeeded", eventId: `${String(deployId)}:finished` });
    expect(seen[0]?.detail).toMatchObject({ batchCount: 4 });
    expect(seen.every((event) => JSON.stringify(event.resources) === JSON.stringify(seen[0]?.resources))).toBe(true);
    expect(seen[0]?.resources).toEqual([expect.stringMatching(/:autoScalingGroup:.+:autoScalingGroupName\//)]);
  }, 120_000);

  it("bad-release: the rollback and a finish that says RolledBack", async () => {
    const { report, seen } = await run("bad-release");
    expect(report.outcome).toBe("RolledBack");
    expect(report.events.ebb["Ebb Deploy Rolled Back"]).toBe(1);
    expect(seen.find((event) => event["detail-type"] === "Ebb Deploy Rolled Back")?.detail).toMatchObject({ failedBatch: 1, error: "HealthCheckTimeout" });
    expect(seen.at(-1)?.detail).toMatchObject({ outcome: "RolledBack" });
  }, 120_000);

  it("shared-outage: the guard's verdict, with the group's ARN as the resource", async () => {
    const { seen } = await run("shared-outage");
    const outage = seen.filter((event) => event["detail-type"] === "Ebb Outage Detected");
    expect(outage).toHaveLength(1);
    expect(outage[0]?.resources).toEqual([expect.stringMatching(/^arn:aws:autoscaling:[a-z0-9-]+:\d{12}:autoScalingGroup:.+:autoScalingGroupName\//)]);
    expect(outage[0]?.detail).toMatchObject({ eventId: expect.stringMatching(/:outage:1$/), reason: expect.any(String) });
  }, 120_000);

  it("a deploy whose every PutEvents fails still succeeds (the events are news, not part of it)", async () => {
    const { report, seen } = await run("rolling-deploy", { api: [{ service: "events", kind: "server-error", rate: 1 }] });
    expect(report.outcome).toBe("Succeeded");
    expect(seen).toEqual([]);
    expect(report.aws.apiCalls["events:PutEvents"]).toBeGreaterThanOrEqual(6);
    expect(report.fleet.lockHeld).toBe(false);
  }, 120_000);
});
