import { describe, expect, it } from "vitest";
import { loadScenario, parseScenarioConfig } from "../../../sim/scenarios.ts";
import { simulate } from "../../../sim/simulate.ts";

const chatpulse = (surgeFirstBatch: boolean) =>
  parseScenarioConfig(
    {
      scenario: "chatpulse-handoffs",
      fleet: { desiredCapacity: 4 },
      targetGroup: { deregistrationDelaySeconds: 30, healthCheck: { intervalSeconds: 30, healthyThreshold: 2 } },
      run: { kind: "rolling-deploy", input: { launchTemplateVersion: "2", batchSize: "50%", minHealthyPercent: 50, surgeFirstBatch } },
    },
    "test",
  );

describe("hand-offs per session in replace mode", () => {
  it("surgeFirstBatch lands batch 1's clients on new instances: each ChatPulse client moves once, not 1.47 times", async () => {
    const replaced = await simulate(chatpulse(false));
    const surgedFirst = await simulate(chatpulse(true));
    expect(replaced.connections.handoffsPerSession).toBeGreaterThan(1.3);
    expect(surgedFirst.outcome).toBe("Succeeded");
    expect(surgedFirst.connections.forcedDisconnects).toBe(0);
    expect(surgedFirst.connections.handoffsPerSession).toBeLessThanOrEqual(1.01);
    // The group's MaxSize (8) had room: it is never raised for the first batch's surge.
    expect(surgedFirst.fleet.maxSize).toBe(8);
  }, 120_000);

  it("moves fewer clients twice on the 12-instance fleet too, and replaces plainly when MaxSize leaves no room", async () => {
    const surgedFirst = await simulate(loadScenario("rolling-deploy-surge-first"));
    expect(surgedFirst.connections.handoffsPerSession).toBeLessThan(1.2);
    const config = loadScenario("rolling-deploy-surge-first");
    const noRoom = await simulate({ ...config, fleet: { ...config.fleet, maxSize: 12 } });
    expect(noRoom.outcome).toBe("Succeeded");
    expect(noRoom.connections.handoffsPerSession).toBeGreaterThan(1.2);
    expect(noRoom.fleet.maxSize).toBe(12);
  }, 120_000);
});
