import type { World } from "./world.ts";

/** Launching, leaving or entering standby: the instance's lifecycle is not done yet. */
const inTransition = (lifecycleState: string): boolean =>
  lifecycleState.startsWith("Pending") || lifecycleState.startsWith("Terminating") || lifecycleState === "EnteringStandby";

/** Commands whose effect is still to come, in any status SSM reports before the end (the model may add Pending). */
const SETTLED_COMMAND_STATUSES: ReadonlySet<string> = new Set(["Success", "Failed", "Undeliverable", "TimedOut", "Cancelled"]);

/**
 * What in the emulated account is still in motion, read from the AWS models' own state, one entry
 * per kind with its count ("instances Terminating:Wait: 3"). Empty once the world is quiescent:
 * nothing launching or leaving, no target draining, no connection still to be cut (held by an
 * instance that is leaving or draining), no app still shedding, no lifecycle action open, no
 * instance refresh running, no event or command still to take effect.
 */
export function unsettledWork(world: World): string[] {
  const counts = new Map<string, number>();
  const add = (what: string, count = 1): void => {
    if (count > 0) counts.set(what, (counts.get(what) ?? 0) + count);
  };
  const targetGroups = world.elb.targetGroups();
  for (const group of targetGroups) {
    for (const target of group.targets.values()) if (target.deregistration !== undefined) add("targets draining");
  }
  for (const group of world.autoscaling.groups()) {
    if (world.autoscaling.activeRefresh(group) !== undefined) add("instance refreshes in progress");
    // A scale in waiting on its termination policy has not begun: no instance is leaving yet.
    const gap = world.autoscaling.capacityGap(group);
    if (gap.acting) add(gap.missing > 0 ? "instances still to launch" : "instances still to terminate", Math.abs(gap.missing));
    for (const instance of world.autoscaling.liveInstances(group)) {
      const id = instance.instanceId;
      if (inTransition(instance.lifecycleState)) add(`instances ${instance.lifecycleState}`);
      if (world.clients.connectionsOf(id) === 0) continue;
      const draining = targetGroups.some((targetGroup) => targetGroup.targets.get(id)?.deregistration !== undefined);
      if (draining || instance.lifecycleState.startsWith("Terminating")) add("instances holding connections still to be cut");
      else if (world.clients.isDraining(id)) add("apps still shedding connections");
    }
  }
  add("lifecycle actions open", world.autoscaling.lifecycleActions.openCount);
  add("events awaiting delivery", world.events.queuedCount);
  add("SSM commands running", world.ssm.invocations().filter((view) => !SETTLED_COMMAND_STATUSES.has(view.status)).length);
  return [...counts].map(([what, count]) => `${what}: ${count}`);
}

export interface Settlement {
  quiescent: boolean;
  /** Virtual seconds the world took to settle after the control plane was done. */
  settleSeconds: number;
  /** What was still in motion at the end (empty when quiescent). */
  unsettled: string[];
}

/** Moves virtual time to `targetMs`, with whatever runs on it (the physics, due events, workflow Waits) keeping up. */
export type AdvanceTo = (targetMs: number) => Promise<void>;

/** The physics alone, events delivered after each move: a world with no control plane sleeping on the clock. */
export const physicsAdvance = (world: World): AdvanceTo => async (targetMs) => {
  world.advanceTo(targetMs);
  await world.events.flush();
};

/**
 * Lets virtual time run, a physics step at a time with events delivered, until the world is
 * quiescent or `maxSeconds` have passed: what happens after the control plane's last step (the
 * load balancer cutting what a drain left, a termination finishing) belongs to the run. With a
 * control plane installed, `advanceTo` must be its own (time moved on the executions' timeline):
 * moving the physics under running workflows would leave their Waits asleep and their Tasks
 * unanswered while the lifecycle actions they hold run out.
 */
export async function settle(world: World, maxSeconds: number, advanceTo: AdvanceTo = physicsAdvance(world)): Promise<Settlement> {
  const fromMs = world.clock.nowMs;
  const deadlineMs = fromMs + maxSeconds * 1000;
  let unsettled = unsettledWork(world);
  while (unsettled.length > 0 && world.clock.nowMs < deadlineMs) {
    await advanceTo(Math.min(deadlineMs, world.clock.nowMs + 1000));
    unsettled = unsettledWork(world);
  }
  return { quiescent: unsettled.length === 0, settleSeconds: (world.clock.nowMs - fromMs) / 1000, unsettled };
}
