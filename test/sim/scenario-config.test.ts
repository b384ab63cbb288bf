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

  it("names every field that refers to something the scenario does not have, one problem each", () => {
    const attempt = () =>
      parseScenarioConfig(
        {
          fleet: { desiredCapacity: 4, minSize: 5, maxSize: 3, protectedInstances: [1, 4] },
          app: { versions: { "2": {}, latest: {} }, alarms: [{ alarmName: "ebb-5xx" }] },
          faults: {
            crashes: [{ atSeconds: 10, instanceIndex: 7 }],
            flapping: [{ atSeconds: 10, instanceIndex: 4 }],
            ssm: [{ instanceIndex: 9 }],
            alarms: [{ atSeconds: 60, alarmName: "ebb-5xx" }, { atSeconds: 60, alarmName: "ebb-typo" }],
            api: [{ service: "autoscaling", action: "TerminateInstance", kind: "throttle", rate: 1 }, { service: "elasticloadbalancing", action: "DescribeTargetHealth", kind: "throttle", rate: 1 }],
          },
        },
        "test",
      );
    expect(attempt).toThrow(ScenarioConfigError);
    let problems: readonly string[] = [];
    try {
      attempt();
    } catch (error) {
      problems = (error as ScenarioConfigError).problems;
    }
    expect(problems).toEqual([
      expect.stringMatching(/^faults\.crashes\.0\.instanceIndex: no instance with launch index 7: the fleet starts with 4/),
      expect.stringMatching(/^faults\.flapping\.0\.instanceIndex: no instance with launch index 4/),
      expect.stringMatching(/^faults\.ssm\.0\.instanceIndex: no instance with launch index 9/),
      expect.stringMatching(/^fleet\.protectedInstances\.1: no instance with launch index 4/),
      'faults.alarms.1.alarmName: no alarm "ebb-typo" in app.alarms',
      expect.stringMatching(/^faults\.api\.0\.action: autoscaling has no action "TerminateInstance" \(known: .*TerminateInstanceInAutoScalingGroup/),
      'app.versions.latest: "latest" is not a launch template version number',
      "fleet.minSize: minSize 5 is greater than maxSize 3",
      "fleet.desiredCapacity: desiredCapacity 4 is outside [minSize 5, maxSize 3]",
    ]);
  });

  it("accepts references that exist, and bounds the default maxSize (twice the desired capacity)", () => {
    expect(() => parseScenarioConfig({ fleet: { desiredCapacity: 3, protectedInstances: [2] }, faults: { crashes: [{ atSeconds: 1, instanceIndex: 2 }], api: [{ service: "ssm", action: "*", kind: "server-error", rate: 0.1 }] } }, "test")).not.toThrow();
    expect(() => parseScenarioConfig({ fleet: { desiredCapacity: 3, minSize: 7 } }, "test")).toThrow(/desiredCapacity 3 is outside \[minSize 7, maxSize 6\]/);
  });
});

describe("remediation faults name what the fleet has", () => {
  it("refuses an unhealthy host past the starting fleet and a zone the fleet is not in", () => {
    expect(() => parseScenarioConfig({ faults: { unhealthy: [{ atSeconds: 1, instanceIndex: 12 }], zoneOutages: [{ atSeconds: 1, availabilityZone: "us-east-1z" }] } }, "test")).toThrow(
      expect.objectContaining({
        problems: [
          "faults.unhealthy.0.instanceIndex: no instance with launch index 12: the fleet starts with 12 (indexes 0–11)",
          'faults.zoneOutages.0.availabilityZone: the fleet has no zone "us-east-1z" (zones: us-east-1a, us-east-1b, us-east-1c)',
        ],
      }),
    );
  });
});
