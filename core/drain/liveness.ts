import type { GroupView, InstanceView } from "../types.ts";

/**
 * Whether a draining instance still holds connections worth waiting for. Unlike "leaving" for
 * planning, an instance in Terminating:Wait is not gone: a terminate lifecycle hook holds it
 * there precisely so that it can drain, its app still runs and its clients are still attached.
 * Gone means out of the group, or past the point of no return (Terminating without a hook,
 * Terminating:Proceed, Terminated), where EC2 shuts it down whatever the drain says.
 */
const GONE_STATES: ReadonlySet<string> = new Set(["Terminating", "Terminating:Proceed", "Terminated", "Detached"]);

export const isStillDraining = (instance: InstanceView | undefined): boolean => instance !== undefined && !GONE_STATES.has(instance.lifecycleState);

/** The ids of the group's instances that a drain must still wait for. */
export function drainingInstanceIds(group: GroupView): Set<string> {
  return new Set(group.instances.filter(isStillDraining).map((instance) => instance.instanceId));
}
