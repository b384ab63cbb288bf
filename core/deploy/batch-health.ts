import { audit, updateBatch } from "../deploy-store.ts";
import { HealthCheckTimeout } from "../errors.ts";
import { describeGroup, liveInstances } from "../fleet.ts";
import { decideHealth, healthCheckIntervalSeconds, observeHealth } from "../health.ts";
import type { Runtime } from "../runtime.ts";
import { registerUnregistered } from "../targets.ts";
import type { PollResult } from "../types.ts";
import { loadBatch, type BatchRef } from "./batch.ts";
import { watchCapacity } from "./capacity-watch.ts";
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
  const watch = await watchCapacity(rt, ref, record, batch, group);
  if (watch.paused) return { done: false, waitSeconds: watch.waitSeconds, verified: 0, pending: batch.expectedNewInstances, notLaunched: 0 };
  const known = new Set(batch.knownInstanceIds);
  const fresh = liveInstances(group).filter(
    (instance) => !known.has(instance.instanceId) && instance.launchTemplateVersion === batch.targetVersion,
  );
  const intervalSeconds = healthCheckIntervalSeconds(snapshotOf(record).targetGroups);
  const { states, observations } = await observeHealth(rt.clients.elbv2, fresh, targetGroupArnsOf(record), batch.healthObservations, now, intervalSeconds);
  const inService = fresh.filter((instance) => instance.lifecycleState === "InService").map((instance) => instance.instanceId);
  await registerUnregistered(rt.clients.elbv2, rt.stage, states, inService);
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
