import { deployDelaySeconds } from "../deregistration-delay.ts";
import { DeployStateError } from "../errors.ts";
import { healthTiming } from "../health.ts";
import type { PlanTiming } from "../planner.ts";
import type { StageConfig } from "../stage.ts";
import type { DeployPhase, DeployPlan, DeployRecord, FleetSnapshot } from "../types.ts";

/** Helpers every deploy step shares: what the record says about targets, timing and the plan. */

export function snapshotOf(record: DeployRecord): FleetSnapshot {
  if (record.snapshot === undefined) throw new DeployStateError(`deploy ${record.deployId} has no fleet snapshot yet`);
  return record.snapshot;
}

export const targetGroupArnsOf = (record: DeployRecord): string[] => snapshotOf(record).targetGroups.map((group) => group.arn);

/** The version new instances must run: the target while deploying, the original while rolling back. */
export function phaseTargetVersion(record: DeployRecord, phase: DeployPhase): string {
  if (phase === "rollback") return snapshotOf(record).launchTemplate.version;
  if (record.targetVersion === undefined) throw new DeployStateError(`deploy ${record.deployId} has no target version`);
  return record.targetVersion;
}

export function phasePlan(record: DeployRecord, phase: DeployPhase): DeployPlan {
  const plan = phase === "deploy" ? record.plan : record.rollback?.plan;
  if (plan === undefined) throw new DeployStateError(`deploy ${record.deployId} has no ${phase} plan`);
  return plan;
}

/** The slowest target group's deregistration delay while the deploy runs (raised ones included): how long a drain without a signal may take. */
export const longestDeregistrationDelay = (record: DeployRecord, stage: StageConfig): number =>
  deployDelaySeconds(snapshotOf(record).targetGroups, record.input.drain, stage);

export function planTiming(record: DeployRecord, stage: StageConfig): PlanTiming {
  const groups = snapshotOf(record).targetGroups;
  const { intervalSeconds, thresholdSeconds } = healthTiming(groups);
  const { input } = record;
  return {
    bootSeconds: stage.estimates.bootSeconds,
    shedRatePerSecond: stage.estimates.shedRatePerSecond,
    drainTimeoutSeconds: input.drain.timeoutSeconds,
    drainSignal: input.drain.signal,
    maxRemainingConnections: input.drain.maxRemainingConnections,
    deregistrationDelaySeconds: longestDeregistrationDelay(record, stage),
    healthCheckIntervalSeconds: intervalSeconds,
    healthyThreshold: intervalSeconds > 0 ? thresholdSeconds / intervalSeconds : 0,
    consecutiveHealthyChecks: input.health.consecutiveHealthyChecks,
    bakeSeconds: input.bakeSeconds,
  };
}

/** When a new instance should first look healthy, counted from its launch. */
export function firstHealthySeconds(record: DeployRecord, stage: StageConfig): number {
  return stage.estimates.bootSeconds + healthTiming(snapshotOf(record).targetGroups).thresholdSeconds;
}
