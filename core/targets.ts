import {
  DeregisterTargetsCommand,
  DescribeTargetGroupAttributesCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  RegisterTargetsCommand,
  type ElasticLoadBalancingV2Client,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import type { StageConfig } from "./stage.ts";
import type { GroupView, TargetGroupSettings } from "./types.ts";

/**
 * The one target-registration module: which target groups an instance belongs to, its state in
 * each, deregistering (the first step of every drain) and registering (Ebb-owned registration).
 */

export interface TargetState {
  state: string;
  reason: string | undefined;
  port: number | undefined;
}

/** instanceId → target group ARN → state. */
export type TargetStates = Map<string, Map<string, TargetState>>;

const NOT_REGISTERED: TargetState = { state: "unused", reason: "Target.NotRegistered", port: undefined };

/** The group's own target groups, plus the stage's when Ebb owns registration. */
export function targetGroupArnsFor(group: Pick<GroupView, "targetGroupArns">, stage: StageConfig): string[] {
  const extra = stage.targetRegistration === "ebb" ? stage.targetGroupArns : [];
  return [...new Set([...group.targetGroupArns, ...extra])];
}

/** One DescribeTargetHealth per target group, for just these instances (it does not paginate). */
export async function describeTargets(
  elbv2: ElasticLoadBalancingV2Client,
  targetGroupArns: readonly string[],
  instanceIds: readonly string[],
): Promise<TargetStates> {
  const states: TargetStates = new Map(instanceIds.map((id) => [id, new Map<string, TargetState>()]));
  if (instanceIds.length === 0) return states;
  for (const arn of targetGroupArns) {
    const response = await elbv2.send(
      new DescribeTargetHealthCommand({ TargetGroupArn: arn, Targets: instanceIds.map((id) => ({ Id: id })) }),
    );
    for (const description of response.TargetHealthDescriptions ?? []) {
      const id = description.Target?.Id;
      const perGroup = id === undefined ? undefined : states.get(id);
      if (perGroup === undefined) continue;
      const state = description.TargetHealth?.State ?? "unused";
      const current = perGroup.get(arn);
      // A target registered on several ports reports each; any live registration wins.
      if (current !== undefined && current.state !== "unused") continue;
      perGroup.set(arn, { state, reason: description.TargetHealth?.Reason, port: description.Target?.Port });
    }
    for (const perGroup of states.values()) if (!perGroup.has(arn)) perGroup.set(arn, NOT_REGISTERED);
  }
  return states;
}

/** Registered and receiving (or about to receive) new connections. */
export const isServing = (target: TargetState): boolean => !["unused", "draining", "unhealthy.draining"].includes(target.state);

/** No longer registered: the load balancer finished deregistration (no connections left, or the delay expired). */
export const isDeregistered = (target: TargetState): boolean => target.state === "unused";

/** Deregisters each instance from every target group it is serving in. Returns how many deregistrations it sent. */
export async function deregisterServing(elbv2: ElasticLoadBalancingV2Client, states: TargetStates): Promise<number> {
  const byGroup = new Map<string, { Id: string; Port?: number }[]>();
  for (const [instanceId, perGroup] of states) {
    for (const [arn, target] of perGroup) {
      if (!isServing(target)) continue;
      const targets = byGroup.get(arn) ?? [];
      targets.push(target.port === undefined ? { Id: instanceId } : { Id: instanceId, Port: target.port });
      byGroup.set(arn, targets);
    }
  }
  let sent = 0;
  for (const [arn, targets] of byGroup) {
    await elbv2.send(new DeregisterTargetsCommand({ TargetGroupArn: arn, Targets: targets }));
    sent += targets.length;
  }
  return sent;
}

/** Target group ARN → the instances not serving in it (never registered, deregistered or draining), in `targetGroupArns` order. */
export function notServingByGroup(states: TargetStates, targetGroupArns: readonly string[]): Map<string, string[]> {
  return new Map(
    targetGroupArns.map((arn) => [arn, [...states].filter(([, perGroup]) => !isServing(perGroup.get(arn) ?? NOT_REGISTERED)).map(([id]) => id)]),
  );
}

/**
 * When Ebb owns registration (stage.targetRegistration "ebb") nobody else registers new instances:
 * one that reached InService while still unregistered in a target group is registered in the stage's.
 */
export async function registerUnregistered(
  elbv2: ElasticLoadBalancingV2Client,
  stage: StageConfig,
  states: TargetStates,
  inServiceIds: readonly string[],
): Promise<void> {
  if (stage.targetRegistration !== "ebb") return;
  const unregistered = inServiceIds.filter((id) => [...(states.get(id)?.values() ?? [])].some(isDeregistered));
  await registerInstances(elbv2, stage.targetGroupArns, unregistered);
}

/** Registers instances in target groups (on each group's own port); registering twice is harmless. */
export async function registerInstances(
  elbv2: ElasticLoadBalancingV2Client,
  targetGroupArns: readonly string[],
  instanceIds: readonly string[],
): Promise<void> {
  if (instanceIds.length === 0) return;
  for (const arn of targetGroupArns) {
    await elbv2.send(new RegisterTargetsCommand({ TargetGroupArn: arn, Targets: instanceIds.map((id) => ({ Id: id })) }));
  }
}

/** Health-check timing and deregistration delay of each target group. */
export async function describeTargetGroupSettings(
  elbv2: ElasticLoadBalancingV2Client,
  targetGroupArns: readonly string[],
): Promise<TargetGroupSettings[]> {
  if (targetGroupArns.length === 0) return [];
  const response = await elbv2.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [...targetGroupArns] }));
  const settings: TargetGroupSettings[] = [];
  for (const group of response.TargetGroups ?? []) {
    const arn = group.TargetGroupArn ?? "";
    const attributes = await elbv2.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: arn }));
    const delay = attributes.Attributes?.find((attribute) => attribute.Key === "deregistration_delay.timeout_seconds")?.Value;
    settings.push({
      arn,
      healthCheckIntervalSeconds: group.HealthCheckIntervalSeconds ?? 30,
      healthyThreshold: group.HealthyThresholdCount ?? 5,
      deregistrationDelaySeconds: delay === undefined ? 300 : Number(delay),
    });
  }
  return settings;
}

/** Target group ARN → every instance registered in it and serving (DescribeTargetHealth without Targets lists them all). */
export async function servingTargets(elbv2: ElasticLoadBalancingV2Client, targetGroupArns: readonly string[]): Promise<Map<string, string[]>> {
  const serving = new Map<string, string[]>();
  for (const arn of targetGroupArns) {
    const response = await elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn }));
    serving.set(
      arn,
      (response.TargetHealthDescriptions ?? []).flatMap((description) =>
        description.Target?.Id !== undefined && isServing({ state: description.TargetHealth?.State ?? "unused", reason: undefined, port: undefined }) ? [description.Target.Id] : []),
    );
  }
  return serving;
}
