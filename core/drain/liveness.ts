import { paginateDescribeInstanceStatus, type InstanceStatus } from "@aws-sdk/client-ec2";
import type { Runtime } from "../runtime.ts";
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

/** EC2 states in which the host's OS is down or going down: whatever it held is gone with it. */
const DEAD_EC2_STATES: ReadonlySet<string> = new Set(["shutting-down", "terminated", "stopped"]);

/** One entry of DescribeInstanceStatus, as far as liveness reads it. */
export type InstanceStatusEntry = Pick<InstanceStatus, "InstanceId" | "InstanceState" | "InstanceStatus">;

/**
 * Why this host is dead, or undefined while it may be alive. Dead only on EC2's own word: the
 * instance status check `impaired` with reachability `failed` (the host stopped answering at the
 * network level), or a state past running. Silence alone (no fresh connection datapoints, an SSM
 * agent that does not answer) never makes a host dead: stale data is not zero connections, and
 * `initializing`, `insufficient-data` and `ok` all leave it alive.
 */
export function deadReason(entry: InstanceStatusEntry): string | undefined {
  const state = entry.InstanceState?.Name;
  if (state !== undefined && DEAD_EC2_STATES.has(state)) return `EC2 state ${state}`;
  const status = entry.InstanceStatus;
  const reachability = status?.Details?.find((detail) => detail.Name === "reachability");
  if (status?.Status === "impaired" && reachability?.Status === "failed") {
    const since = reachability.ImpairedSince === undefined ? "" : ` since ${reachability.ImpairedSince.toISOString()}`;
    return `instance status impaired (reachability failed${since})`;
  }
  return undefined;
}

/**
 * The hosts among these that EC2 says are dead, and why. If EC2 cannot be asked (throttled past
 * retries, no permission), none is dead: the drain then goes on as if every host were alive.
 */
export async function deadInstances(rt: Runtime, instanceIds: readonly string[]): Promise<Map<string, string>> {
  const dead = new Map<string, string>();
  if (instanceIds.length === 0) return dead;
  try {
    for await (const page of paginateDescribeInstanceStatus({ client: rt.clients.ec2 }, { InstanceIds: [...instanceIds], IncludeAllInstances: true })) {
      for (const entry of page.InstanceStatuses ?? []) {
        const reason = deadReason(entry);
        if (entry.InstanceId !== undefined && reason !== undefined) dead.set(entry.InstanceId, reason);
      }
    }
  } catch (error) {
    rt.logger.warn("instance status unavailable; every draining host counts as alive", { instanceIds, error: error instanceof Error ? error.message : String(error) });
    return new Map();
  }
  return dead;
}
