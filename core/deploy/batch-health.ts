import { audit, updateBatch } from "../deploy-store.ts";
import { HealthCheckTimeout } from "../errors.ts";
import { describeGroup, liveInstances } from "../fleet.ts";
import { decideHealth, healthTiming, healthyInEveryGroup, observeTargetHealth, recordObservation } from "../health.ts";
import type { Runtime } from "../runtime.ts";
import { isDeregistered, registerInstances } from "../targets.ts";
import type { HealthObservation, PollResult } from "../types.ts";
import { loadBatch, type BatchRef } from "./batch.ts";
import { firstHealthySeconds, snapshotOf, targetGroupArnsOf } from "./context.ts";

export interface HealthPoll extends PollResult {
  verified: number;
  pending: number;
  notLaunched: number;
}

/**
 * Verifies the batch's new instances (in the group, not there when the batch started, on the
 * phase's version): each must be InService and healthy in every target group on N consecutive
 * observations. HealthCheckTimeout after health.timeoutSeconds.
 */
export async function checkBatchHealth(rt: Runtime, ref: BatchRef): Promise<HealthPoll> {
  const { record, batch } = await loadBatch(rt, ref);
  const now = rt.clock.now();
  const group = await describeGroup(rt.clients.autoScaling, record.autoScalingGroupName);
  const known = new Set(batch.knownInstanceIds);
  const fresh = liveInstances(group).filter(
    (instance) => !known.has(instance.instanceId) && instance.launchTemplateVersion === batch.targetVersion,
  );
  const arns = targetGroupArnsOf(record);
  const states = await observeTargetHealth(rt, fresh.map((instance) => instance.instanceId), arns);
  if (rt.stage.targetRegistration === "ebb") {
    // Ebb owns registration: an instance that reached InService without being registered gets registered now.
    const unregistered = fresh.filter(
      (instance) => instance.lifecycleState === "InService" && [...(states.get(instance.instanceId)?.values() ?? [])].some(isDeregistered),
    );
    await registerInstances(rt.clients.elbv2, rt.stage.targetGroupArns, unregistered.map((instance) => instance.instanceId));
  }
  const { intervalSeconds } = healthTiming(snapshotOf(record).targetGroups);
  const observations: Record<string, HealthObservation> = {};
  for (const instance of fresh) {
    const healthy =
      instance.lifecycleState === "InService" && instance.healthStatus === "Healthy" && healthyInEveryGroup(states, instance.instanceId, arns);
    observations[instance.instanceId] = recordObservation(batch.healthObservations?.[instance.instanceId], healthy, now, intervalSeconds);
  }
  const startedAt = new Date(batch.healthStartedAt ?? batch.startedAt);
  const decision = decideHealth(observations, {
    now,
    startedAt,
    expectedNewInstances: batch.expectedNewInstances,
    requiredConsecutive: record.input.health.consecutiveHealthyChecks,
    intervalSeconds,
    firstHealthyAfterSeconds: firstHealthySeconds(record, rt.stage),
    timeoutSeconds: record.input.health.timeoutSeconds,
  });
  await updateBatch(rt, batch, { healthObservations: observations }, decision.done ? { healthyAt: now.toISOString() } : {});
  if (decision.timedOut) {
    const detail = `${decision.pending.length} new instance(s) not healthy in every target group (${decision.pending.join(", ") || "none"}), ${decision.notLaunched} not launched`;
    await audit(rt, ref.deployId, { step: "health-timed-out", phase: ref.phase, batchIndex: ref.batchIndex, detail: { pending: decision.pending, notLaunched: decision.notLaunched } });
    throw new HealthCheckTimeout(
      `batch ${ref.batchIndex + 1} (${ref.phase}): after ${record.input.health.timeoutSeconds} s ${detail} on launch template version ${batch.targetVersion}`,
    );
  }
  if (decision.done) {
    await audit(rt, ref.deployId, { step: "healthy", phase: ref.phase, batchIndex: ref.batchIndex, detail: { verified: decision.verified } });
  }
  return {
    done: decision.done,
    waitSeconds: decision.waitSeconds,
    verified: decision.verified.length,
    pending: decision.pending.length,
    notLaunched: decision.notLaunched,
  };
}
