import { eventsSummary, type EventsSummary } from "./ebb-events.ts";
import type { Settlement } from "../quiescence.ts";
import type { ForcedCloseCause } from "../../emulator/ports.ts";
import type { World } from "../world.ts";
import type { FleetAtEnd } from "./fleet.ts";
import { runCost, type CostReport } from "./cost.ts";
import type { ScalingSummary } from "./scaling.ts";
import type { ScaleInSummary } from "./scale-in.ts";
import type { BatchDrain, PhaseMark, Timeline, TimelineSample } from "./timeline.ts";

/** `Unsettled`: the world was still in motion when the run's time was up (the cause says what, and how the strategy ended). */
export type Outcome = "Succeeded" | "RolledBack" | "Failed" | "Aborted" | "Unsettled";
/** `none`: no control plane at all (a remediation scenario's comparison run). */
export type Strategy = "ebb" | "seed-script" | "instance-refresh" | "none" | "cpu-policy";

/** What remediation did in a remediation scenario (Ebb's records, and the physics' count of health replacements). */
export interface RemediationReport {
  /** Remediation executions (alarm episodes). */
  episodes: number;
  /** Hosts Ebb replaced and saw replaced by one serving in every target group. */
  replacedByEbb: number;
  /** Every instance taken out of service while failing, by anyone (Ebb or the ASG's own health check). */
  replacedForHealth: string[];
  quarantines: number;
  outagesDetected: { remediationId: string; at: string; reason: string; endedAt?: string }[];
  notRemediated: { remediationId: string; instanceId: string; reason: string; at: string }[];
  /** Virtual seconds since the scenario start: healthy capacity first below the desired size, and full again. */
  healthyCapacity: { firstBelowFullAt?: number; backToFullAt?: number };
}

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
  /** The bake the deploy used after each batch, for the lower bound. */
  bakeSeconds: number;
  stepFunctions: ExecutionSummary;
  remediation?: RemediationReport;
}

export interface SimulationReport {
  scenario: string;
  seed: number;
  strategy: Strategy;
  outcome: Outcome;
  cause: string | undefined;
  /** Until the world was quiescent after the control plane's last step. */
  durationSeconds: number;
  lowerBoundSeconds: number;
  /** durationSeconds − lowerBoundSeconds: what the control plane itself cost. */
  controlPlaneSeconds: number;
  /** Batches drained (deregistrations the timeline grouped), and the control plane's seconds per batch. */
  batches: number;
  controlPlaneSecondsPerBatch: number;
  overheadRatio: number;
  quiescence: Settlement;
  connections: {
    total: number;
    forcedDisconnects: number;
    forcedDisconnectsBy: Record<ForcedCloseCause, number>;
    gracefulHandoffs: number;
    /** How many times a session was moved on average (ideally 1 for a full rollout). */
    handoffsPerSession: number;
    peakReconnectsPerMinute: number;
  };
  capacity: { minHealthyInstances: number; minHealthyPercent: number };
  instances: {
    launched: number;
    terminated: number;
    terminatedWithoutDrain: number;
    /** Failing instances the control plane (Ebb's remediation) took out of service. */
    remediated: number;
    /** Failing instances the ASG's own health check replaced (ReplaceUnhealthy), never counted as remediated. */
    replacedByAsg: number;
  };
  fleet: FleetAtEnd;
  /** Remediation scenarios only. */
  remediation?: RemediationReport;
  aws: { apiCalls: Record<string, number>; throttled: number; peakDescribePerSecond: number; apiCallsPerReplacedInstance: number };
  /** Step Functions, Lambda and billed API calls, at list prices. */
  cost: CostReport;
  stepFunctions: ExecutionSummary & { stateTransitionsPerInstance: number };
  lifecycle: { completed: number; timedOut: number; duplicateCompletions: number; heartbeats: number };
  events: EventsSummary;
  /** Traffic runs only: how well capacity followed the connections. */
  scaling?: ScalingSummary;
  /** The run's scale ins: whom the termination policy chose and what they held. */
  scaleIn: ScaleInSummary;
  output: unknown;
  timeline: { samples: TimelineSample[]; phases: PhaseMark[]; drains: BatchDrain[]; reconnectsPerMinute: number[] };
  wallSeconds: number;
}

export interface ReportInputs {
  world: World;
  strategy: Strategy;
  result: RunResult;
  timeline: Timeline;
  durationSeconds: number;
  lowerBoundSeconds: number;
  settlement: Settlement;
  fleet: FleetAtEnd;
  scaleIn: ScaleInSummary;
  initialCapacity: number;
  wallSeconds: number;
  scaling?: ScalingSummary | undefined;
  /** Virtual milliseconds each Lambda invocation is billed. */
  lambdaBilledMs: number;
}

const round = (value: number, digits: number): number => Number(value.toFixed(digits));

const totalCalls = (calls: ReadonlyMap<string, number>): number => [...calls.values()].reduce((sum, count) => sum + count, 0);

/**
 * A run whose world never settled cannot claim Succeeded or RolledBack (a promise is only kept once
 * the world is quiet): it ends Unsettled. Failed and Aborted stay what they are. The cause says both.
 */
function finalOutcome(result: RunResult, settlement: Settlement): { outcome: Outcome; cause: string | undefined } {
  if (settlement.quiescent) return { outcome: result.outcome, cause: result.cause };
  const strategy = [result.outcome, result.cause].filter(Boolean).join(": ");
  const keptPromise = result.outcome === "Succeeded" || result.outcome === "RolledBack";
  return {
    outcome: keptPromise ? "Unsettled" : result.outcome,
    cause: `${strategy}; ${settlement.settleSeconds} virtual s later the world had not settled (${settlement.unsettled.join(", ")})`,
  };
}

export function buildReport(inputs: ReportInputs): SimulationReport {
  const { world, result, timeline, settlement } = inputs;
  const stats = world.stats;
  const sessions = world.config.clients.sessions;
  const minHealthy = Number.isFinite(timeline.minHealthyInstances) ? timeline.minHealthyInstances : 0;
  return {
    scenario: world.config.scenario,
    seed: world.config.seed,
    strategy: inputs.strategy,
    ...finalOutcome(result, settlement),
    durationSeconds: round(inputs.durationSeconds, 1),
    lowerBoundSeconds: round(inputs.lowerBoundSeconds, 1),
    controlPlaneSeconds: round(inputs.durationSeconds - inputs.lowerBoundSeconds, 1),
    batches: timeline.drains.length,
    controlPlaneSecondsPerBatch: timeline.drains.length > 0 ? round((inputs.durationSeconds - inputs.lowerBoundSeconds) / timeline.drains.length, 1) : 0,
    overheadRatio: inputs.lowerBoundSeconds > 0 ? round(inputs.durationSeconds / inputs.lowerBoundSeconds, 3) : 0,
    quiescence: settlement,
    connections: {
      total: sessions,
      forcedDisconnects: stats.forcedDisconnects,
      forcedDisconnectsBy: { ...stats.forcedDisconnectsBy },
      gracefulHandoffs: stats.gracefulHandoffs,
      handoffsPerSession: sessions > 0 ? round(stats.gracefulHandoffs / sessions, 3) : 0,
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
      replacedByAsg: stats.replacedByAsg,
    },
    fleet: inputs.fleet,
    ...(result.remediation === undefined ? {} : { remediation: result.remediation }),
    aws: {
      apiCalls: Object.fromEntries([...stats.apiCalls.entries()].sort(([a], [b]) => a.localeCompare(b))),
      throttled: stats.throttled,
      peakDescribePerSecond: stats.peakDescribePerSecond,
      apiCallsPerReplacedInstance: stats.instancesTerminated > 0 ? round(totalCalls(stats.apiCalls) / stats.instancesTerminated, 2) : 0,
    },
    cost: runCost({
      stateTransitions: result.stepFunctions.stateTransitions,
      lambdaInvocations: stats.lambdaInvocations,
      lambdaBilledMsPerInvocation: inputs.lambdaBilledMs,
      metricsRequested: stats.metricsRequested,
      apiCalls: Object.fromEntries(stats.apiCalls),
    }),
    stepFunctions: {
      ...result.stepFunctions,
      stateTransitionsPerInstance:
        inputs.initialCapacity > 0 ? round(result.stepFunctions.stateTransitions / inputs.initialCapacity, 2) : 0,
    },
    lifecycle: {
      completed: stats.lifecycleCompleted,
      timedOut: stats.lifecycleTimedOut,
      duplicateCompletions: stats.duplicateCompletions,
      heartbeats: stats.lifecycleHeartbeats,
    },
    events: eventsSummary(world),
    ...(inputs.scaling === undefined ? {} : { scaling: inputs.scaling }),
    scaleIn: inputs.scaleIn,
    output: result.output,
    timeline: { samples: timeline.samples, phases: timeline.phases, drains: timeline.drains, reconnectsPerMinute: stats.reconnectsPerMinute },
    wallSeconds: round(inputs.wallSeconds, 2),
  };
}
