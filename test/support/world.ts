import { scenarioConfigSchema, type ScenarioConfigInput } from "../../sim/config/schema.ts";
import { World } from "../../sim/world.ts";

export const START_MS = Date.parse("2026-01-01T00:00:00Z");

/**
 * A world with no fleet and no clients unless the test asks for them, so metrics are only the
 * test's own, and SDK calls that take no virtual time, so timestamps are only the test's own too.
 */
export const quietWorld = (overrides: ScenarioConfigInput = {}): World =>
  new World(
    scenarioConfigSchema.parse({
      ...overrides,
      fleet: { desiredCapacity: 0, ...overrides.fleet },
      clients: { sessions: 0, ...overrides.clients },
      aws: { apiLatencyMs: 0, ...overrides.aws },
      run: { kind: "idle" },
    }),
  );

export const at = (seconds: number): Date => new Date(START_MS + seconds * 1000);
