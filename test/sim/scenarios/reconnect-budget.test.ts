import { describe, expect, it } from "vitest";
import { loadScenario } from "../../../sim/scenarios.ts";
import { simulate } from "../../../sim/simulate.ts";

describe("fleet-wide reconnect budget", () => {
  it("keeps every minute's reconnects under drain.maxReconnectsPerMinute, hands every client off, and costs duration", async () => {
    const config = loadScenario("reconnect-budget");
    const paced = await simulate(config);
    expect(paced.outcome).toBe("Succeeded");
    expect(paced.connections.forcedDisconnects).toBe(0);
    expect(paced.connections.peakReconnectsPerMinute).toBeLessThanOrEqual(1000);
    const calls = paced.aws.apiCalls["ssm:SendCommand"] ?? 0;
    expect(calls).toBeGreaterThan(0);

    const input = { ...config.run, input: { ...(config.run.kind === "rolling-deploy" ? config.run.input : {}), drain: {} } };
    const unpaced = await simulate({ ...config, run: input as typeof config.run });
    expect(unpaced.connections.peakReconnectsPerMinute).toBeGreaterThan(2000);
    expect(paced.durationSeconds).toBeGreaterThan(unpaced.durationSeconds);
  }, 120_000);
});
