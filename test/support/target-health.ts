import { DescribeTargetHealthCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { createAwsClients, type AwsClients } from "../../sim/aws-clients.ts";
import type { World } from "../../sim/world.ts";
import { targetGroupArn } from "./fleet.ts";

/** One observed change of a target's health: seconds since the watch began, state, reason. */
export type HealthChange = [seconds: number, state: string, reason: string | undefined];

export const sdkClients = (world: World): AwsClients => createAwsClients(world, { maxAttempts: 1 });

/** DescribeTargetHealth for one target, through the real SDK client. */
export async function describeHealth(clients: AwsClients, world: World, instanceId: string): Promise<{ state: string; reason: string | undefined }> {
  const response = await clients.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn(world), Targets: [{ Id: instanceId }] }));
  const health = response.TargetHealthDescriptions?.[0]?.TargetHealth;
  return { state: health?.State ?? "missing", reason: health?.Reason };
}

/**
 * Asks DescribeTargetHealth once a virtual second for `seconds` and returns each change of state or
 * reason, the first observation (at 0) included. One call per second stays within the Describe bucket.
 */
export async function watchHealth(clients: AwsClients, world: World, instanceId: string, seconds: number): Promise<HealthChange[]> {
  const changes: HealthChange[] = [];
  // Whole seconds from the start, so each call's own latency (aws.apiLatencyMs) does not add up.
  const startMs = world.clock.nowMs;
  for (let second = 0; second <= seconds; second++) {
    if (second > 0) world.advanceTo(startMs + second * 1000);
    const { state, reason } = await describeHealth(clients, world, instanceId);
    const last = changes.at(-1);
    if (last === undefined || last[1] !== state || last[2] !== reason) changes.push([second, state, reason]);
  }
  return changes;
}
