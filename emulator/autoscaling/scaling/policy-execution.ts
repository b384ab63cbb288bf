import type { AlarmInvocation } from "../../cloudwatch/alarm-action-router.ts";
import type { AutoScalingGroupState } from "../group.ts";
import type { ScalingPolicyRecord, StepAdjustment } from "../scaling-policies.ts";
import type { FleetInstance } from "../types.ts";

/**
 * What an alarm invoking a scaling policy does to the desired capacity, as the EC2 Auto Scaling
 * user guide describes each policy type. Capacity terms ("Step and simple scaling policies"):
 * the desired capacity includes instances still launching; the current capacity counts only
 * instances in service and past their warmup.
 */

/** A simple scaling policy's activity: it must complete, then the cooldown run out, before the next. */
export interface SimpleScalingActivity {
  readonly cooldownSeconds: number;
  completedAtMs: number | undefined;
}

/**
 * PutScalingPolicy reference, EstimatedInstanceWarmup: the policy's own value, else the group's
 * default instance warmup (not emulated), else the group's default cooldown.
 */
export const warmupSeconds = (group: AutoScalingGroupState, policy: ScalingPolicyRecord): number => policy.estimatedInstanceWarmup ?? group.defaultCooldown;

const isWarmingUp = (instance: FleetInstance, warmupMs: number, nowMs: number): boolean =>
  instance.lifecycleState.startsWith("Pending") || (instance.lifecycleState === "InService" && nowMs < (instance.inServiceAtMs ?? 0) + warmupMs);

/** In service and warmed up: the instances whose metrics the policy's arithmetic is about. */
const currentCapacity = (live: readonly FleetInstance[], warmupMs: number, nowMs: number): number =>
  live.filter((instance) => instance.lifecycleState === "InService" && !isWarmingUp(instance, warmupMs, nowMs)).length;

/**
 * "Scaling adjustment types": PercentChangeInCapacity results between 0 and ±1 become ±1, larger
 * ones are rounded toward zero, and MinAdjustmentMagnitude sets a floor on the change.
 */
export function adjustedCapacity(type: string | undefined, current: number, adjustment: number, minAdjustmentMagnitude?: number): number {
  if (type === "ExactCapacity") return adjustment;
  if (type !== "PercentChangeInCapacity") return current + adjustment;
  const raw = (current * adjustment) / 100;
  let change = Math.abs(raw) < 1 ? Math.sign(raw) : Math.trunc(raw);
  if (minAdjustmentMagnitude !== undefined && Math.abs(change) < minAdjustmentMagnitude) change = Math.sign(raw) * minAdjustmentMagnitude;
  return current + change;
}

/** The step whose [lower, upper) interval holds the breach (metric − threshold). */
export function matchingStep(steps: readonly StepAdjustment[], breach: number): StepAdjustment | undefined {
  return steps.find((step) => (step.MetricIntervalLowerBound ?? Number.NEGATIVE_INFINITY) <= breach && breach < (step.MetricIntervalUpperBound ?? Number.POSITIVE_INFINITY));
}

export interface ExecutionContext {
  readonly group: AutoScalingGroupState;
  readonly policy: ScalingPolicyRecord;
  readonly live: readonly FleetInstance[];
  readonly simpleActivity: SimpleScalingActivity | undefined;
  readonly nowMs: number;
}

/** The desired capacity the invocation asks for (before the group's min and max), or undefined for no change. */
export function requestedCapacity(context: ExecutionContext, invocation: AlarmInvocation): number | undefined {
  const { group, policy, live, nowMs } = context;
  const warmupMs = warmupSeconds(group, policy) * 1000;
  const anyWarming = live.some((instance) => isWarmingUp(instance, warmupMs, nowMs));
  const current = currentCapacity(live, warmupMs, nowMs);
  const value = invocation.newestValue;
  switch (policy.policyType) {
    case "TargetTrackingScaling": {
      const tracking = policy.targetTrackingConfiguration;
      if (tracking === undefined || value === undefined || tracking.TargetValue <= 0) return undefined;
      // Proportional: the capacity that would bring the metric to the target, rounded up (never too little).
      const wanted = Math.ceil((current * value) / tracking.TargetValue);
      if (invocation.comparisonOperator.startsWith("Greater")) {
        // "Set the default instance warmup": warming instances count as capacity already added.
        return wanted > group.desiredCapacity ? wanted : undefined;
      }
      // Scale in waits for warmups to finish (same page) and, in the emulator's reading of "scales
      // in gradually", for the previous scale in's instances to be gone: a datapoint taken before
      // they left would otherwise remove capacity a second time.
      if (tracking.DisableScaleIn || anyWarming || live.some((instance) => instance.lifecycleState.startsWith("Terminating"))) return undefined;
      return wanted < group.desiredCapacity ? wanted : undefined;
    }
    case "StepScaling": {
      if (value === undefined) return undefined;
      const step = matchingStep(policy.stepAdjustments ?? [], value - invocation.threshold);
      if (step === undefined || step.ScalingAdjustment === 0) return undefined;
      if (step.ScalingAdjustment > 0) {
        // "Step and simple scaling policies", instance warmup: a breach of the same step while the
        // last step's instances warm up adds nothing; a bigger step adds only the difference.
        const wanted = adjustedCapacity(policy.adjustmentType, current, step.ScalingAdjustment, policy.minAdjustmentMagnitude);
        return wanted > group.desiredCapacity ? wanted : undefined;
      }
      if (anyWarming) return undefined;
      return adjustedCapacity(policy.adjustmentType, group.desiredCapacity, step.ScalingAdjustment, policy.minAdjustmentMagnitude);
    }
    case "SimpleScaling": {
      // "Scaling cooldowns": the policy waits for its activity to complete and the cooldown to expire.
      const activity = context.simpleActivity;
      if (activity !== undefined && (activity.completedAtMs === undefined || nowMs < activity.completedAtMs + activity.cooldownSeconds * 1000)) return undefined;
      return adjustedCapacity(policy.adjustmentType, group.desiredCapacity, policy.scalingAdjustment ?? 0, policy.minAdjustmentMagnitude);
    }
  }
}
