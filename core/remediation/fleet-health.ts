import { DescribeInstancesCommand } from "@aws-sdk/client-ec2";
import { describeGroup, liveInstances } from "../fleet.ts";
import type { Runtime } from "../runtime.ts";
import { describeTargets, targetGroupArnsFor, type TargetStates } from "../targets.ts";
import type { GroupView } from "../types.ts";
import type { HostHealth } from "./guard.ts";
import type { HostHistory, RemediationRecord } from "./record.ts";

/** The group and how each of its InService hosts fares in every one of its target groups. */
export interface FleetHealth {
  group: GroupView;
  targetGroupArns: string[];
  states: TargetStates;
  hosts: HostHealth[];
}

const statusIn = (states: TargetStates, instanceId: string, arns: readonly string[]): HostHealth["status"] => {
  const perGroup = states.get(instanceId);
  const each = arns.map((arn) => perGroup?.get(arn)?.state ?? "unused");
  if (each.some((state) => state === "unhealthy")) return "unhealthy";
  return each.length > 0 && each.every((state) => state === "healthy") ? "healthy" : "pending";
};

export async function readFleetHealth(rt: Runtime, groupName: string): Promise<FleetHealth> {
  const group = await describeGroup(rt.clients.autoScaling, groupName);
  const targetGroupArns = targetGroupArnsFor(group, rt.stage);
  const inService = liveInstances(group).filter((instance) => instance.lifecycleState === "InService");
  const states = await describeTargets(rt.clients.elbv2, targetGroupArns, inService.map((instance) => instance.instanceId));
  const hosts = inService.map((instance) => ({
    instanceId: instance.instanceId,
    availabilityZone: instance.availabilityZone,
    status: statusIn(states, instance.instanceId, targetGroupArns),
  }));
  return { group, targetGroupArns, states, hosts };
}

/**
 * Unhealthy hosts that have never been seen serving and launched within the group's
 * health-check grace period are booting, not failing: the ASG registers an instance before its
 * app answers (what the grace period is for), so its first checks fail.
 */
export async function bootingHosts(
  rt: Runtime,
  candidates: readonly string[],
  hosts: Readonly<Record<string, HostHistory>>,
  graceSeconds: number,
): Promise<Set<string>> {
  const unknown = candidates.filter((id) => hosts[id]?.everHealthy !== true);
  if (unknown.length === 0 || graceSeconds === 0) return new Set();
  const booting = new Set<string>();
  const nowMs = rt.clock.now().getTime();
  let nextToken: string | undefined;
  do {
    const page = await rt.clients.ec2.send(new DescribeInstancesCommand({ InstanceIds: unknown, NextToken: nextToken }));
    for (const instance of (page.Reservations ?? []).flatMap((reservation) => reservation.Instances ?? [])) {
      const launchedMs = instance.LaunchTime?.getTime();
      if (instance.InstanceId !== undefined && launchedMs !== undefined && nowMs - launchedMs < graceSeconds * 1000) booting.add(instance.InstanceId);
    }
    nextToken = page.NextToken;
  } while (nextToken !== undefined);
  return booting;
}

/** Hosts this episode took out of the load balancer itself: draining, quarantined or being replaced. */
export function hostsInHand(record: RemediationRecord): Set<string> {
  return new Set([...(record.draining?.instanceIds ?? []), ...Object.keys(record.quarantined), ...(record.replacing?.instanceIds ?? [])]);
}

/**
 * One read of a host counted into its history: unhealthy reads count at most once per
 * health-check interval (polling faster does not confirm faster); any change of status is a
 * transition, and a healthy read starts the unhealthy count over.
 */
export function recordRead(previous: HostHistory | undefined, status: HostHealth["status"], now: Date, intervalSeconds: number): HostHistory {
  const base: HostHistory = previous ?? { unhealthyReads: 0, transitions: 0, quarantines: 0, firstSeenAt: now.toISOString() };
  if (status === "pending") return base;
  const transitions = base.lastStatus !== undefined && base.lastStatus !== status ? base.transitions + 1 : base.transitions;
  if (status === "healthy") return { ...base, unhealthyReads: 0, lastStatus: status, transitions, lastReadAt: now.toISOString(), everHealthy: true };
  const lastMs = base.lastReadAt === undefined ? undefined : Date.parse(base.lastReadAt);
  const counts = base.lastStatus !== "unhealthy" || lastMs === undefined || now.getTime() - lastMs >= intervalSeconds * 1000;
  if (!counts) return { ...base, transitions };
  return { ...base, unhealthyReads: base.unhealthyReads + 1, lastStatus: status, transitions, lastReadAt: now.toISOString() };
}
