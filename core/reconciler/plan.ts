import type { DrainState } from "../drain/request.ts";
import { isServing, type TargetState } from "../targets.ts";

/**
 * What the reconciler would repair in one group, from one look at it: level-triggered (the same
 * fleet gives the same repairs, however often it runs), with one memory, when it first saw each
 * instance waiting in a lifecycle state (AWS shows no action's start time).
 *
 * Registration: in `ebb` mode Ebb owns it, so every InService healthy instance belongs in its
 * target groups (an operator takes one out through Standby, as AWS documents). In `asg` mode the
 * ASG owns it: the only missing target the reconciler puts back is one the drain pipeline itself
 * deregistered and nobody put back (a crashed control plane); one an operator deregistered by
 * hand is theirs. Either way, never while AddToLoadBalancer is suspended.
 *
 * A lifecycle action is stuck when no hook workflow is running for it (its event was lost, the
 * control plane was down when it came, or the workflow failed) and it has been open for two
 * runs (an event may arrive late). A running workflow is never second-guessed, however long its
 * drain: it heartbeats, and it alone completes its action.
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
  /** Instances a hook workflow is running for: their action is in hand, however long it takes. */
  inHookWorkflows: ReadonlySet<string>;
  /** Instance → the target groups the drain pipeline deregistered it from and nobody registered it back in (read in `asg` mode). */
  ebbDeregistered: ReadonlyMap<string, readonly string[]>;
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
  /** Instances whose record of Ebb's deregistration is closed: registered back now, or serving again already. */
  restored: string[];
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

export interface PlanSettings {
  now: Date;
  /** An action open this long (two reconciler runs) with no hook workflow on it is stuck. */
  stuckAfterSeconds: number;
}

const WAIT_STATES: Readonly<Record<string, "launch" | "terminate">> = { "Pending:Wait": "launch", "Terminating:Wait": "terminate" };

const inEvery = (instance: ObservedInstance, arns: readonly string[], accept: (target: TargetState) => boolean): boolean =>
  arns.every((arn) => {
    const target = instance.targets.get(arn);
    return target !== undefined && accept(target);
  });

export function planRepairs(group: ObservedGroup, previous: WaitMemory, settings: PlanSettings): RepairPlan {
  const plan: RepairPlan = { register: [], restored: [], deregister: [], complete: [], drain: [], memory: {} };
  const members = new Set(group.instances.map((instance) => instance.instanceId));
  const nowMs = settings.now.getTime();
  for (const instance of group.instances) {
    if (instance.lifecycleState === "InService" && instance.healthStatus === "Healthy" && !group.registrationSuspended) planRegistration(group, instance, plan);
    const transition = WAIT_STATES[instance.lifecycleState];
    if (transition === undefined) continue;
    const seen = previous[instance.instanceId];
    const sighting: WaitSighting = seen?.state === instance.lifecycleState ? { ...seen } : { state: instance.lifecycleState, since: settings.now.toISOString() };
    plan.memory[instance.instanceId] = sighting;
    const waitedSeconds = (nowMs - Date.parse(sighting.since)) / 1000;
    if (sighting.completed !== undefined || waitedSeconds < settings.stuckAfterSeconds) continue;
    // The reconciler's own drain is in its hands; any other is the hook workflow's.
    if (sighting.drain === undefined && group.inHookWorkflows.has(instance.instanceId)) continue;
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

/** The target groups an InService healthy instance is missing from and belongs back in (see the rule above). */
function planRegistration(group: ObservedGroup, instance: ObservedInstance, plan: RepairPlan): void {
  const takenOutByEbb = group.ebbDeregistered.get(instance.instanceId);
  const missing = group.targetGroupArns.filter((arn) => {
    const target = instance.targets.get(arn);
    return target === undefined || !isServing(target);
  });
  const owed = group.targetRegistration === "ebb" ? missing : missing.filter((arn) => takenOutByEbb?.includes(arn) === true);
  for (const arn of owed) plan.register.push({ instanceId: instance.instanceId, targetGroupArn: arn });
  // Serving again wherever Ebb took it out (put back now, or by a rollback or an operator): the record is spent.
  if (takenOutByEbb !== undefined && takenOutByEbb.every((arn) => owed.includes(arn) || !missing.includes(arn))) plan.restored.push(instance.instanceId);
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
