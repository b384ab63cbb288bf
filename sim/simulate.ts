import { performance } from "node:perf_hooks";
import type { ScenarioConfig } from "./config/schema.ts";
import { World } from "./world.ts";
import { fleetAtEnd, type FleetAtEnd } from "./report/fleet.ts";
import { deployLowerBoundSeconds } from "./report/lower-bound.ts";
import { settle, unsettledWork, type Settlement } from "./quiescence.ts";
import { buildReport } from "./report/report.ts";
import type { RunResult, SimulationReport, Strategy } from "./report/report.ts";
import { createAppAlarms } from "./setup.ts";
import { runStrategy } from "./strategies/index.ts";
import { Timeline } from "./report/timeline.ts";
import { ScalingObserver } from "./report/scaling.ts";
import { simulationStage } from "./local/stage.ts";
import { ScaleInWatch } from "./report/scale-in.ts";
import { taskLatencyMsOf } from "./local/ebb.ts";

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
  /** Sees the world before the run starts (tests register observers on it). */
  onStart?: (world: World) => void;
  /** Sees the settled world while the control plane is still installed (its runtime and tables readable). */
  onSettled?: (world: World) => Promise<void>;
}

const CHART_SAMPLE_SECONDS = 10;
/**
 * The fleet has been serving before the run starts: health checks are in rhythm and connection
 * metrics are readable, which takes CloudWatch's ingestion delay on top of the first minute.
 */
export const warmUpSeconds = (config: ScenarioConfig): number => 60 + config.cloudwatch.ingestionDelaySeconds;

/** Runs one scenario on a fresh emulated account and reports what the physics saw. */
export async function simulate(config: ScenarioConfig, options: SimulateOptions = {}): Promise<SimulationReport> {
  const wallStart = performance.now();
  const world = new World(config);
  world.advance(warmUpSeconds(config));
  await world.events.flush();
  const timeline = new Timeline(world, CHART_SAMPLE_SECONDS);
  const scaleIn = new ScaleInWatch(world);
  options.onStart?.(world);
  const initialCapacity = config.fleet.desiredCapacity;
  await createAppAlarms(world);
  const startMs = world.clock.nowMs;
  const strategy = options.strategy ?? (config.run.kind === "rolling-deploy" || config.run.kind === "traffic" ? config.run.strategy : config.run.kind === "remediation" && config.run.strategy === "none" ? "none" : "ebb");
  const scaling = config.run.kind === "traffic" ? new ScalingObserver(world, (await simulationStage(world)).runtime.scaling.targetConnectionsPerInstance) : undefined;
  const report = (phase: string, batch?: number, batches?: number): void => {
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
  };
  let ending: { settlement: Settlement; fleet: FleetAtEnd } | undefined;
  const result: RunResult = await runStrategy(strategy, {
    world,
    timeline,
    report,
    settle: async (lockHeld, advanceTo) => {
      if (unsettledWork(world).length > 0) report("settle");
      const settlement = await settle(world, config.run.maxVirtualSeconds, advanceTo);
      ending = { settlement, fleet: fleetAtEnd(world, timeline.drains, await lockHeld()) };
      await options.onSettled?.(world);
    },
  });
  if (ending === undefined) throw new Error(`the ${strategy} strategy returned without letting the world settle`);
  timeline.finish();
  await options.onFinished?.(world);
  const durationSeconds = (world.clock.nowMs - startMs) / 1000;
  const lowerBoundSeconds = config.run.kind === "rolling-deploy" ? deployLowerBoundSeconds(config, timeline.drains, result.bakeSeconds) : 0;
  return buildReport({
    world,
    strategy,
    result,
    timeline,
    durationSeconds,
    lowerBoundSeconds,
    settlement: ending.settlement,
    fleet: ending.fleet,
    scaleIn: scaleIn.summary(),
    initialCapacity,
    wallSeconds: (performance.now() - wallStart) / 1000,
    scaling: scaling?.summary(),
    lambdaBilledMs: taskLatencyMsOf(config.run),
  });
}
