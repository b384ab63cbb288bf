import { describeGroup } from "../fleet.ts";
import { healthCheckIntervalSeconds, recordObservation } from "../health.ts";
import type { Runtime } from "../runtime.ts";
import { deregisterServing, describeTargetGroupSettings, describeTargets, registerInstances, targetGroupArnsFor } from "../targets.ts";
import { completeOnce, endAction, finished, heartbeatIfDue, instanceOf, openAction, untilNextHeartbeatSeconds, waitingState, type HookPoll } from "./context.ts";
import type { ActionRef } from "./event.ts";
import { auditAction, getAction, updateAction, type ActionRecord } from "./store.ts";

/**
 * The launch hook: the new instance is registered in every target group it will serve in (Ebb
 * does it first in `ebb` registration mode; in `asg` mode too, so that its health can be seen
 * before the ASG's own registration after CONTINUE, which is then a no-op), and goes InService
 * (CONTINUE) only once healthy everywhere on N consecutive checks, one per health-check interval.
 * Never healthy within lifecycleHooks.launchTimeoutSeconds: deregistered, then ABANDON, so the ASG
 * replaces it. An unhealthy target gets no traffic from the load balancer meanwhile.
 */

interface LaunchPlan {
  record: ActionRecord;
  targetGroupArns: string[];
}

async function stillWaiting(rt: Runtime, record: ActionRecord): Promise<LaunchPlan | ActionRecord> {
  const group = await describeGroup(rt.clients.autoScaling, record.autoScalingGroupName);
  const state = instanceOf(group, record.instanceId)?.lifecycleState ?? "gone";
  if (state !== waitingState(record)) return endAction(rt, record, "not-active", `the instance is ${state}, not ${waitingState(record)}`);
  return { record, targetGroupArns: targetGroupArnsFor(group, rt.stage) };
}

export async function startLaunch(rt: Runtime, ref: ActionRef): Promise<HookPoll> {
  const opened = await openAction(rt, ref);
  if (opened.completion !== undefined) return finished(opened);
  const plan = await stillWaiting(rt, opened);
  if (!("targetGroupArns" in plan)) return finished(plan);
  if (plan.targetGroupArns.length === 0) return finished(await completeOnce(rt, opened, "CONTINUE", "no target group to verify the instance in"));
  const interval = healthCheckIntervalSeconds(await describeTargetGroupSettings(rt.clients.elbv2, plan.targetGroupArns));
  await registerInstances(rt.clients.elbv2, plan.targetGroupArns, [ref.instanceId]);
  const record = await updateAction(rt, ref.token, { healthCheckIntervalSeconds: interval }, { registeredAt: rt.clock.now().toISOString() });
  await auditAction(rt, ref.token, "registered", { instanceId: ref.instanceId, targetGroupArns: plan.targetGroupArns, mode: rt.stage.targetRegistration });
  return { done: false, waitSeconds: Math.max(1, Math.min(interval, untilNextHeartbeatSeconds(rt, record))) };
}

export async function checkLaunch(rt: Runtime, ref: ActionRef): Promise<HookPoll> {
  let record = (await getAction(rt, ref.token)) ?? (await openAction(rt, ref));
  if (record.completion !== undefined) return finished(record);
  record = await heartbeatIfDue(rt, record);
  if (record.completion !== undefined) return finished(record);
  const plan = await stillWaiting(rt, record);
  if (!("targetGroupArns" in plan)) return finished(plan);
  const now = rt.clock.now();
  const interval = record.healthCheckIntervalSeconds ?? 30;
  const states = await describeTargets(rt.clients.elbv2, plan.targetGroupArns, [ref.instanceId]);
  const perGroup = states.get(ref.instanceId);
  const healthy = plan.targetGroupArns.every((arn) => perGroup?.get(arn)?.state === "healthy");
  const health = recordObservation(record.health, healthy, now, interval);
  const required = rt.stage.lifecycleHooks.consecutiveHealthyChecks;
  if (health.consecutive >= required) {
    await updateAction(rt, ref.token, { health });
    return finished(await completeOnce(rt, record, "CONTINUE", `healthy in every target group on ${required} consecutive checks`));
  }
  const deadlineMs = Date.parse(record.startedAt) + rt.stage.lifecycleHooks.launchTimeoutSeconds * 1000;
  if (now.getTime() >= deadlineMs) {
    // Out of every target group first: nothing may be routed to it while the ASG replaces it.
    await deregisterServing(rt.clients.elbv2, states);
    return finished(await completeOnce(rt, record, "ABANDON", `not healthy in every target group within ${rt.stage.lifecycleHooks.launchTimeoutSeconds} s`));
  }
  record = await updateAction(rt, ref.token, { health });
  const untilDeadline = Math.ceil((deadlineMs - now.getTime()) / 1000);
  return { done: false, waitSeconds: Math.max(1, Math.min(interval, untilNextHeartbeatSeconds(rt, record), untilDeadline)) };
}
