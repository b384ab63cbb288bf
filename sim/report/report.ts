import type { World } from "../world.ts";
import type { PhaseMark, Timeline, TimelineSample } from "./timeline.ts";

export type Outcome = "Succeeded" | "RolledBack" | "Failed" | "Aborted";
export type Strategy = "ebb" | "seed-script" | "instance-refresh";

export interface ExecutionSummary {
  executions: number;
  stateTransitions: number;
  maxHistoryEvents: number;
}

export interface RunResult {
  outcome: Outcome;
  /** Why the run ended as it did (the workflow's error and cause, a baseline's failure...). */
  cause: string | undefined;
  /** What the control plane returned (the workflow's output, a dry run's plan). */
  output: unknown;
  /** Batches the deploy planned, and the bake it used, for the lower bound. */
  batches: number;
  bakeSeconds: number;
  stepFunctions: ExecutionSummary;
}

export interface SimulationReport {
  scenario: string;
  seed: number;
  strategy: Strategy;
  outcome: Outcome;
  cause: string | undefined;
  durationSeconds: number;
  lowerBoundSeconds: number;
  overheadRatio: number;
  connections: { total: number; forcedDisconnects: number; gracefulHandoffs: number; peakReconnectsPerMinute: number };
  capacity: { minHealthyInstances: number; minHealthyPercent: number };
  instances: {
    launched: number;
    terminated: number;
    terminatedWithoutDrain: number;
    remediated: number;
    /** Instances in the group (not terminating) by launch template version at the end. */
    finalVersions: Record<string, number>;
  };
  aws: { apiCalls: Record<string, number>; throttled: number; peakDescribePerSecond: number };
  stepFunctions: ExecutionSummary & { stateTransitionsPerInstance: number };
  lifecycle: { completed: number; timedOut: number; duplicateCompletions: number };
  output: unknown;
  timeline: { samples: TimelineSample[]; phases: PhaseMark[]; reconnectsPerMinute: number[] };
  wallSeconds: number;
}

export interface ReportInputs {
  world: World;
  strategy: Strategy;
  result: RunResult;
  timeline: Timeline;
  durationSeconds: number;
  lowerBoundSeconds: number;
  initialCapacity: number;
  wallSeconds: number;
}

const round = (value: number, digits: number): number => Number(value.toFixed(digits));

export function buildReport(inputs: ReportInputs): SimulationReport {
  const { world, result, timeline } = inputs;
  const stats = world.stats;
  const finalVersions: Record<string, number> = {};
  for (const instance of world.autoscaling.instances()) {
    if (instance.ec2State !== "running" || instance.lifecycleState.startsWith("Terminat")) continue;
    const version = instance.launchTemplate.version;
    finalVersions[version] = (finalVersions[version] ?? 0) + 1;
  }
  const minHealthy = Number.isFinite(timeline.minHealthyInstances) ? timeline.minHealthyInstances : 0;
  return {
    scenario: world.config.scenario,
    seed: world.config.seed,
    strategy: inputs.strategy,
    outcome: result.outcome,
    cause: result.cause,
    durationSeconds: round(inputs.durationSeconds, 1),
    lowerBoundSeconds: round(inputs.lowerBoundSeconds, 1),
    overheadRatio: inputs.lowerBoundSeconds > 0 ? round(inputs.durationSeconds / inputs.lowerBoundSeconds, 3) : 0,
    connections: {
      total: world.config.clients.sessions,
      forcedDisconnects: stats.forcedDisconnects,
      gracefulHandoffs: stats.gracefulHandoffs,
      peakReconnectsPerMinute: stats.peakReconnectsPerMinute,
    },
    capacity: {
      minHealthyInstances: minHealthy,
      minHealthyPercent: inputs.initialCapacity > 0 ? round((100 * minHealthy) / inputs.initialCapacity, 1) : 0,
    },
    instances: {
      launched: stats.instancesLaunched,
      terminated: stats.instancesTerminated,
      terminatedWithoutDrain: stats.terminatedWithoutDrain,
      remediated: stats.remediated,
      finalVersions,
    },
    aws: {
      apiCalls: Object.fromEntries([...stats.apiCalls.entries()].sort(([a], [b]) => a.localeCompare(b))),
      throttled: stats.throttled,
      peakDescribePerSecond: stats.peakDescribePerSecond,
    },
    stepFunctions: {
      ...result.stepFunctions,
      stateTransitionsPerInstance:
        inputs.initialCapacity > 0 ? round(result.stepFunctions.stateTransitions / inputs.initialCapacity, 2) : 0,
    },
    lifecycle: {
      completed: stats.lifecycleCompleted,
      timedOut: stats.lifecycleTimedOut,
      duplicateCompletions: stats.duplicateCompletions,
    },
    output: result.output,
    timeline: { samples: timeline.samples, phases: timeline.phases, reconnectsPerMinute: stats.reconnectsPerMinute },
    wallSeconds: round(inputs.wallSeconds, 2),
  };
}
