import { describe, expect, it } from "vitest";
import { parseScenarioConfig } from "../../../sim/scenarios.ts";
import { installLocalEbb } from "../../../sim/local/ebb.ts";
import { ScenarioConfigError } from "../../../sim/errors.ts";
import { World } from "../../../sim/world.ts";

describe("faults.lambda", () => {
  it("a fault naming a function Ebb does not deploy is a config error naming the field", async () => {
    const config = parseScenarioConfig({ faults: { lambda: [{ function: "snapshot-fleet", kind: "timeout", rate: 0.5 }, { function: "ghost", kind: "out-of-memory", rate: 1 }] } }, "test");
    const failure = await installLocalEbb(new World(config)).then(() => undefined, (error: unknown) => error);
    expect(failure).toBeInstanceOf(ScenarioConfigError);
    expect((failure as ScenarioConfigError).problems).toEqual([expect.stringMatching(/^faults\.lambda\[1\]\.function: no function "ghost"/)]);
  });

  it("kind and rate are checked by the schema", () => {
    expect(() => parseScenarioConfig({ faults: { lambda: [{ function: "snapshot-fleet", kind: "crash", rate: 2 }] } }, "test")).toThrow(/faults\.lambda\.0\.(kind|rate)/);
  });
});
