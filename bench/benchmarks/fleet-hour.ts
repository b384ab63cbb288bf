import { scenarioConfigSchema } from "../../sim/config/schema.ts";
import { World } from "../../sim/world.ts";
import { measure, peakRssMb, round } from "../measure.ts";
import type { Benchmark } from "../registry.ts";

const INSTANCES = 1000;
const SESSIONS = 1_000_000;
const VIRTUAL_SECONDS = 3600;

/** One virtual hour of a 1,000-instance fleet holding a million sessions, nothing else happening. */
export const fleetHour: Benchmark = {
  name: "fleet-hour",
  description: `${INSTANCES} instances, ${SESSIONS.toLocaleString("en-US")} sessions, world.advance(${VIRTUAL_SECONDS})`,
  targets: { wallSeconds: 10 },
  async run() {
    const config = scenarioConfigSchema.parse({
      scenario: "bench-fleet-hour",
      fleet: { desiredCapacity: INSTANCES, maxSize: INSTANCES },
      clients: { sessions: SESSIONS },
      run: { kind: "idle", durationSeconds: VIRTUAL_SECONDS },
    });
    const built = measure(() => new World(config));
    const world = built.result;
    const advanced = measure(() => world.advance(VIRTUAL_SECONDS));
    return {
      wallSeconds: round(advanced.wallSeconds),
      buildSeconds: round(built.wallSeconds),
      stepsPerSecond: round(VIRTUAL_SECONDS / advanced.wallSeconds, 0),
      peakRssMb: round(peakRssMb(), 0),
      connectionsAtEnd: world.clients.totalConnections(),
      metricSamples: world.cloudwatch.metrics.sampleCount,
    };
  },
};
