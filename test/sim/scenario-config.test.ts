import { mkdtemp, writeFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { ScenarioConfigError } from "../../sim/errors.ts";
import { loadScenario, loadScenarioFile, parseScenarioConfig, scenarioNames } from "../../sim/scenarios.ts";

describe("scenario configs", () => {
  it("gives every field a default", () => {
    const config = parseScenarioConfig({}, "test");
    expect(config.fleet.desiredCapacity).toBe(12);
    expect(config.clients.sessions).toBe(12_000);
    expect(config.run.kind).toBe("rolling-deploy");
  });

  it("rejects unknown fields and bad values, naming every one", () => {
    const attempt = () =>
      parseScenarioConfig({ fleet: { desiredCapacty: 3 }, targetGroup: { healthCheck: { intervalSeconds: 1 } }, colour: "red" }, "test");
    expect(attempt).toThrow(ScenarioConfigError);
    try {
      attempt();
    } catch (error) {
      const problems = (error as ScenarioConfigError).problems.join("\n");
      expect(problems).toMatch(/fleet.*desiredCapacty/);
      expect(problems).toMatch(/targetGroup\.healthCheck\.intervalSeconds/);
      expect(problems).toMatch(/colour/);
    }
  });

  it("loads every built-in scenario", () => {
    for (const name of scenarioNames()) expect(loadScenario(name).scenario).toBe(name);
    expect(() => loadScenario("no-such-scenario")).toThrow(/known scenarios/);
  });

  it("reads a config file and applies the seed override", async () => {
    const directory = await mkdtemp(join(tmpdir(), "ebb-config-"));
    onTestFinished(() => rm(directory, { recursive: true, force: true }));
    const file = join(directory, "fleet.json");
    await writeFile(file, JSON.stringify({ fleet: { desiredCapacity: 6 }, seed: 3 }));
    const config = await loadScenarioFile(file, { seed: 9 });
    expect(config.fleet.desiredCapacity).toBe(6);
    expect(config.seed).toBe(9);
    await writeFile(file, "{ not json");
    await expect(loadScenarioFile(file)).rejects.toThrow(ScenarioConfigError);
  });
});
