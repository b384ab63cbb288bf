import { freshConnections } from "./connections.ts";
import { assertGroupInStage } from "./lock.ts";
import type { Runtime } from "./runtime.ts";

/**
 * Connection-aware scale-in: the ASG's custom termination policy (a Lambda function; Auto Scaling
 * user guide, "Create a custom termination policy with Lambda"). For each Availability Zone's
 * capacity to terminate, the suggested instances holding the fewest connections.
 */

/** The input Auto Scaling sends (the fields Ebb reads). */
export interface TerminationPolicyEvent {
  AutoScalingGroupName: string;
  CapacityToTerminate: { AvailabilityZone: string; Capacity: number; InstanceMarketOption: string }[];
  Instances: { AvailabilityZone: string; InstanceId: string; InstanceMarketOption: string }[];
  Cause: string;
  HasMoreInstances?: boolean | undefined;
}

/** One suggested instance and what its fresh datapoints say; `connections` undefined: unknown. */
export interface RankedInstance {
  instanceId: string;
  connections: number | undefined;
}

/**
 * Known loads first, fewest connections first; an instance without a fresh datapoint ranks after
 * every known one (it may be full), so it is picked only when its zone has too few known
 * instances to give the capacity asked. Ties keep Auto Scaling's own order of suggestion.
 */
const before = (a: RankedInstance & { order: number }, b: RankedInstance & { order: number }): number => {
  if (a.connections === undefined || b.connections === undefined) {
    if (a.connections !== b.connections) return a.connections === undefined ? 1 : -1;
  } else if (a.connections !== b.connections) return a.connections - b.connections;
  return a.order - b.order;
};

/** The victims per (zone, market option) capacity, in the order Auto Scaling asked for them. */
export function chooseFewestConnections(event: TerminationPolicyEvent, connections: ReadonlyMap<string, number>): string[] {
  const chosen = new Set<string>();
  for (const { AvailabilityZone, Capacity, InstanceMarketOption } of event.CapacityToTerminate) {
    const ranked = event.Instances.flatMap((instance, order) =>
      instance.AvailabilityZone === AvailabilityZone && instance.InstanceMarketOption === InstanceMarketOption && !chosen.has(instance.InstanceId)
        ? [{ instanceId: instance.InstanceId, connections: connections.get(instance.InstanceId), order }]
        : [],
    ).sort(before);
    for (const instance of ranked.slice(0, Capacity)) chosen.add(instance.instanceId);
  }
  return [...chosen];
}

export interface TerminationPolicyAnswer {
  InstanceIDs: string[];
}

/** Reads the suggested instances' fresh connection counts and answers Auto Scaling. */
export async function chooseScaleInVictims(rt: Runtime, event: TerminationPolicyEvent): Promise<TerminationPolicyAnswer> {
  assertGroupInStage(rt, event.AutoScalingGroupName);
  const ids = event.Instances.map((instance) => instance.InstanceId);
  const connections = await freshConnections(rt.clients.cloudWatch, rt.stage.connectionMetric, ids, rt.clock.now());
  const InstanceIDs = chooseFewestConnections(event, connections);
  rt.logger.info("termination policy", {
    autoScalingGroupName: event.AutoScalingGroupName,
    cause: event.Cause,
    chosen: InstanceIDs.map((instanceId) => ({ instanceId, connections: connections.get(instanceId) ?? "unknown" })),
    unknown: ids.filter((id) => !connections.has(id)).length,
  });
  return { InstanceIDs };
}
