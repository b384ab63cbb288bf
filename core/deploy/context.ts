import { deployDelaySeconds } from "../deregistration-delay.ts";
import { DeployStateError } from "../errors.ts";
import { healthCheckIntervalSeconds } from "../health.ts";
import type { PlanTiming } from "../planner.ts";
import type { StageConfig } from "../stage.ts";
import { newTargetHealthySeconds } from "../timing.ts";
import type { DeployInput, DeployPhase, DeployPlan, DeployRecord, FleetSnapshot, GroupView } from "../types.ts";

/** Helpers every deploy step shares: what the record says about targets, timing and the plan. */

export function snapshotOf(record: DeployRecord): FleetSnapshot {
  if (record.snapshot === undefined) throw new DeployStateError(`deploy ${record.deployId} has no fleet snapshot yet`);
  return record.snapshot;
}

/**
 * The capacity minHealthyPercent is counted against: the group's as configured before the deploy,
 * or less when someone else (an operator, a scaling policy) scaled it in meanwhile — their change
 * is not the deploy's to undo.
 */
export const heldCapacity = (record: DeployRecord, group: GroupView): number => Math.min(snapshotOf(record).desiredCapacity, group.desiredCapacity);

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
  return timingFor(snapshotOf(record).targetGroups, record.input, stage);
}

/** The plan's timing from target group settings as found (the snapshot's, or now's when validating). */
export function timingFor(groups: FleetSnapshot["targetGroups"], input: DeployInput, stage: StageConfig): PlanTiming {
  return {
    bootSeconds: stage.estimates.bootSeconds,
    shedRatePerSecond: stage.estimates.shedRatePerSecond,
    drainTimeoutSeconds: input.drain.timeoutSeconds,
    drainSignal: input.drain.signal,
    maxRemainingConnections: input.drain.maxRemainingConnections,
    deregistrationDelaySeconds: deployDelaySeconds(groups, input.drain, stage),
    healthCheckIntervalSeconds: healthCheckIntervalSeconds(groups),
    consecutiveHealthyChecks: input.health.consecutiveHealthyChecks,
    bakeSeconds: input.bakeSeconds,
    maxReconnectsPerMinute: input.drain.maxReconnectsPerMinute,
  };
}

/** When a new instance should first look healthy, counted from its launch. */
export function firstHealthySeconds(record: DeployRecord, stage: StageConfig): number {
  return newTargetHealthySeconds({
    bootSeconds: stage.estimates.bootSeconds,
    healthCheckIntervalSeconds: healthCheckIntervalSeconds(snapshotOf(record).targetGroups),
  });
}
