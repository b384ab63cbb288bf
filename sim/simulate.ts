import { performance } from "node:perf_hooks";
import type { ScenarioConfig } from "./config/schema.ts";
import { World } from "./world.ts";
import { deployLowerBoundSeconds } from "./report/lower-bound.ts";
import { buildReport } from "./report/report.ts";
import type { RunResult, SimulationReport, Strategy } from "./report/report.ts";
import { createAppAlarms } from "./setup.ts";
import { runStrategy } from "./strategies/index.ts";
import { Timeline } from "./report/timeline.ts";

export interface Progress {
  elapsedSeconds: number;
  batch: number | undefined;
  batches: number | undefined;
  phase: string;
  healthyInstances: number;
  connections: number;
  forcedDisconnects: number;
}

export interface SimulateOptions {
  /** Overrides the config's run.strategy. */
  strategy?: Strategy | undefined;
  onProgress?: (progress: Progress) => void;
  /** Sees the world once the run is over, before the report is built (tests inspect the fleet through it). */
  onFinished?: (world: World) => Promise<void>;
}

const CHART_SAMPLE_SECONDS = 10;
/** The fleet has been serving before the run starts: connection metrics exist, health checks are in rhythm. */
const WARM_UP_SECONDS = 60;

/** Runs one scenario on a fresh emulated account and reports what the physics saw. */
export async function simulate(config: ScenarioConfig, options: SimulateOptions = {}): Promise<SimulationReport> {
  const wallStart = performance.now();
  const world = new World(config);
  world.advance(WARM_UP_SECONDS);
  await world.events.flush();
  const timeline = new Timeline(world, CHART_SAMPLE_SECONDS);
  const initialCapacity = config.fleet.desiredCapacity;
  await createAppAlarms(world);
  const startMs = world.clock.nowMs;
  const strategy = options.strategy ?? (config.run.kind === "rolling-deploy" ? config.run.strategy : "ebb");
  const result: RunResult = await runStrategy(strategy, {
    world,
    timeline,
    report: (phase, batch, batches) => {
      timeline.markPhase(batch, phase);
      options.onProgress?.({
        elapsedSeconds: world.elapsedSeconds,
        batch,
        batches,
        phase,
        healthyInstances: timeline.samples.at(-1)?.healthyInstances ?? 0,
        connections: world.clients.totalConnections(),
        forcedDisconnects: world.stats.forcedDisconnects,
      });
    },
  });
  timeline.finish();
  await options.onFinished?.(world);
  const durationSeconds = (world.clock.nowMs - startMs) / 1000;
  const input = config.run.kind === "rolling-deploy" ? config.run.input : {};
  const lowerBoundSeconds = deployLowerBoundSeconds(config, {
    batches: result.batches,
    targetVersion: String(input["launchTemplateVersion"] ?? config.fleet.launchTemplateVersion),
    bakeSeconds: result.bakeSeconds,
  });
  return buildReport({
    world,
    strategy,
    result,
    timeline,
    durationSeconds,
    lowerBoundSeconds,
    initialCapacity,
    wallSeconds: (performance.now() - wallStart) / 1000,
  });
}
