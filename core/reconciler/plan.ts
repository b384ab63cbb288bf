import type { DrainState } from "../drain/request.ts";
import { isServing, type TargetState } from "../targets.ts";
import { lifecycleWorkSeconds, type LifecycleWorkTiming } from "../timing.ts";

/**
 * What the reconciler would repair in one group, from one look at it: level-triggered (the same
 * fleet gives the same repairs, however often it runs), with one memory, when it first saw each
 * instance waiting in a lifecycle state (AWS shows no action's start time).
 */

export type LifecycleResult = "CONTINUE" | "ABANDON";

export interface ObservedInstance {
  instanceId: string;
  lifecycleState: string;
  healthStatus: string;
  /** Target group ARN → the instance's state in it (unused when not registered). */
  targets: ReadonlyMap<string, TargetState>;
}

export interface ObservedGroup {
  name: string;
  targetRegistration: "asg" | "ebb";
  /** The target groups the group's instances belong in (the ASG's, plus the stage's in `ebb` mode). */
  targetGroupArns: readonly string[];
  /** An operator suspended AddToLoadBalancer: registration is deliberately off. */
  registrationSuspended: boolean;
  instances: readonly ObservedInstance[];
  /** Target group ARN → instances registered in it and serving (or about to). */
  serving: ReadonlyMap<string, readonly string[]>;
  hooks: readonly { name: string; transition: "launch" | "terminate" }[];
}

/** When an instance was first seen waiting in `state`, and what the reconciler already did about it. */
export interface WaitSighting {
  state: string;
  since: string;
  /** The result the reconciler completed the action with: it never completes one twice. */
  completed?: LifecycleResult | undefined;
  /** The reconciler's drain of it through the drain pipeline (its journal), before letting it go. */
  drain?: DrainState | undefined;
}

export type WaitMemory = Record<string, WaitSighting>;

export interface RepairPlan {
  /** InService and healthy, not serving in a target group it belongs in (never registered, or left deregistered). */
  register: { instanceId: string; targetGroupArn: string }[];
  /** Registered, but the instance is no longer in the group. */
  deregister: { instanceId: string; targetGroupArn: string }[];
  complete: { instanceId: string; hookName: string; result: LifecycleResult; waitedSeconds: number }[];
  /**
   * Stuck in Terminating:Wait while registered, or already being drained by the reconciler: one
   * step of the drain pipeline each run, the step after the drain completing the action.
   */
  drain: string[];
  memory: WaitMemory;
}

export interface PlanSettings extends LifecycleWorkTiming {
  now: Date;
  /** Past the hook's own work time by this much (two reconciler runs), an open action is stuck. */
  marginSeconds: number;
}

const WAIT_STATES: Readonly<Record<string, "launch" | "terminate">> = { "Pending:Wait": "launch", "Terminating:Wait": "terminate" };

const inEvery = (instance: ObservedInstance, arns: readonly string[], accept: (target: TargetState) => boolean): boolean =>
  arns.every((arn) => {
    const target = instance.targets.get(arn);
    return target !== undefined && accept(target);
  });

export function planRepairs(group: ObservedGroup, previous: WaitMemory, settings: PlanSettings): RepairPlan {
  const plan: RepairPlan = { register: [], deregister: [], complete: [], drain: [], memory: {} };
  const members = new Set(group.instances.map((instance) => instance.instanceId));
  const nowMs = settings.now.getTime();
  for (const instance of group.instances) {
    if (instance.lifecycleState === "InService" && instance.healthStatus === "Healthy" && !group.registrationSuspended) {
      for (const arn of group.targetGroupArns) {
        const target = instance.targets.get(arn);
        if (target === undefined || !isServing(target)) plan.register.push({ instanceId: instance.instanceId, targetGroupArn: arn });
      }
    }
    const transition = WAIT_STATES[instance.lifecycleState];
    if (transition === undefined) continue;
    const seen = previous[instance.instanceId];
    const sighting: WaitSighting = seen?.state === instance.lifecycleState ? { ...seen } : { state: instance.lifecycleState, since: settings.now.toISOString() };
    plan.memory[instance.instanceId] = sighting;
    const waitedSeconds = (nowMs - Date.parse(sighting.since)) / 1000;
    if (sighting.completed !== undefined || waitedSeconds < lifecycleWorkSeconds(transition, settings) + settings.marginSeconds) continue;
    const result = stuckResult(group, instance, transition, sighting, plan);
    if (result === undefined) continue;
    sighting.completed = result;
    for (const hook of group.hooks) {
      if (hook.transition === transition) plan.complete.push({ instanceId: instance.instanceId, hookName: hook.name, result, waitedSeconds });
    }
  }
  if (group.targetRegistration === "ebb") {
    for (const [arn, ids] of group.serving) {
      for (const id of ids) if (!members.has(id)) plan.deregister.push({ instanceId: id, targetGroupArn: arn });
    }
  }
  return plan;
}

/**
 * A stuck launch continues only if its instance is healthy in every target group (Ebb registers
 * in `ebb` mode), else it is abandoned, as the launch hook would have done; in `asg` mode nothing
 * can be checked before the ASG registers the instance, so the hook's DefaultResult decides.
 * A stuck termination already out of every target group (the ASG deregistered it, or the hook
 * got that far) continues; one still registered is drained first through the drain pipeline
 * (never let an undrained instance go), which continues it once drained, on a later run.
 */
function stuckResult(
  group: ObservedGroup, instance: ObservedInstance, transition: "launch" | "terminate", sighting: WaitSighting, plan: RepairPlan,
): LifecycleResult | undefined {
  if (transition === "launch") {
    if (group.targetRegistration === "asg") return undefined;
    return inEvery(instance, group.targetGroupArns, (target) => target.state === "healthy") ? "CONTINUE" : "ABANDON";
  }
  if (sighting.drain === undefined && inEvery(instance, group.targetGroupArns, (target) => target.state === "unused")) return "CONTINUE";
  plan.drain.push(instance.instanceId);
  return undefined;
}
