import { DescribeLifecycleHooksCommand, DescribePoliciesCommand, type AutoScalingClient, type ScalingPolicy } from "@aws-sdk/client-auto-scaling";
import type { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import {
  DescribeListenersCommand, DescribeLoadBalancerAttributesCommand, DescribeLoadBalancersCommand, DescribeTargetGroupAttributesCommand,
  DescribeTargetGroupsCommand, DescribeTargetHealthCommand, type ElasticLoadBalancingV2Client, type Listener,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { latestConnections } from "../connections.ts";
import { UnsupportedAutoScalingGroup } from "../errors.ts";
import { findGroup } from "../fleet.ts";
import type { StageConfig } from "../stage.ts";
import type { FleetConfiguration, LoadBalancerReading, TargetGroupReading } from "./types.ts";

export interface DoctorClients {
  autoScaling: AutoScalingClient;
  elbv2: ElasticLoadBalancingV2Client;
  cloudWatch: CloudWatchClient;
}

const attributeMap = (attributes: readonly { Key?: string | undefined; Value?: string | undefined }[] | undefined): Record<string, string> =>
  Object.fromEntries((attributes ?? []).flatMap(({ Key, Value }) => (Key === undefined ? [] : [[Key, Value ?? ""]])));

async function readTargetGroups(elbv2: ElasticLoadBalancingV2Client, arns: readonly string[]): Promise<TargetGroupReading[]> {
  if (arns.length === 0) return [];
  const described = await elbv2.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [...arns] }));
  const readings: TargetGroupReading[] = [];
  for (const group of described.TargetGroups ?? []) {
    const attributes = await elbv2.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: group.TargetGroupArn }));
    const health = await elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: group.TargetGroupArn }));
    readings.push({ group, attributes: attributeMap(attributes.Attributes), health: health.TargetHealthDescriptions ?? [] });
  }
  return readings;
}

async function readListeners(elbv2: ElasticLoadBalancingV2Client, loadBalancerArn: string): Promise<Listener[]> {
  const listeners: Listener[] = [];
  let marker: string | undefined;
  do {
    const page = await elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: loadBalancerArn, Marker: marker }));
    listeners.push(...(page.Listeners ?? []));
    marker = page.NextMarker;
  } while (marker !== undefined);
  return listeners;
}

async function readLoadBalancers(elbv2: ElasticLoadBalancingV2Client, targetGroups: readonly TargetGroupReading[]): Promise<LoadBalancerReading[]> {
  const arns = [...new Set(targetGroups.flatMap((reading) => reading.group.LoadBalancerArns ?? []))];
  if (arns.length === 0) return [];
  const described = await elbv2.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: arns }));
  const readings: LoadBalancerReading[] = [];
  for (const loadBalancer of described.LoadBalancers ?? []) {
    const arn = loadBalancer.LoadBalancerArn ?? "";
    const attributes = await elbv2.send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: arn }));
    readings.push({ loadBalancer, attributes: attributeMap(attributes.Attributes), listeners: await readListeners(elbv2, arn) });
  }
  return readings;
}

async function readPolicies(autoScaling: AutoScalingClient, groupName: string): Promise<ScalingPolicy[]> {
  const policies: ScalingPolicy[] = [];
  let token: string | undefined;
  do {
    const page = await autoScaling.send(new DescribePoliciesCommand({ AutoScalingGroupName: groupName, NextToken: token }));
    policies.push(...(page.ScalingPolicies ?? []));
    token = page.NextToken;
  } while (token !== undefined);
  return policies;
}

/**
 * Reads one group's configuration as AWS holds it (read-only calls): the group, its lifecycle
 * hooks and scaling policies, its target groups (the ASG's own and, with Ebb-owned registration,
 * the stage's) with attributes and target health, their load balancers with attributes and
 * listeners, and the latest connection count of each InService instance.
 */
export async function readFleetConfiguration(
  clients: DoctorClients,
  stage: StageConfig,
  groupName: string,
  options: { now: Date; deployInProgress: boolean },
): Promise<FleetConfiguration> {
  const group = await findGroup(clients.autoScaling, groupName);
  if (group === undefined) throw new UnsupportedAutoScalingGroup(`no Auto Scaling group ${groupName} in this account and region`);
  const hooks = await clients.autoScaling.send(new DescribeLifecycleHooksCommand({ AutoScalingGroupName: groupName }));
  const targetGroupArns = [...new Set([...(group.TargetGroupARNs ?? []), ...(stage.targetRegistration === "ebb" ? stage.targetGroupArns : [])])];
  const targetGroups = await readTargetGroups(clients.elbv2, targetGroupArns);
  const inService = (group.Instances ?? []).filter((instance) => instance.LifecycleState === "InService").flatMap((instance) => instance.InstanceId ?? []);
  return {
    group,
    hooks: hooks.LifecycleHooks ?? [],
    policies: await readPolicies(clients.autoScaling, groupName),
    targetGroups,
    loadBalancers: await readLoadBalancers(clients.elbv2, targetGroups),
    connections: inService.length === 0 ? {} : await latestConnections(clients.cloudWatch, stage.connectionMetric, inService, options.now),
    deployInProgress: options.deployInProgress,
  };
}
