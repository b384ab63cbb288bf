import { StartInstanceRefreshCommand, type RefreshPreferences } from "@aws-sdk/client-auto-scaling";
import type { ScenarioConfigInput } from "../../sim/config/schema.ts";
import { createAwsClients, type AwsClients } from "../../sim/aws-clients.ts";
import type { World } from "../../sim/world.ts";
import { groupName, makeWorld, targetGroupArn } from "./fleet.ts";

/** A quiet 4-instance fleet with real SDK clients (one attempt per call, so faults show as they are). */
export function refreshWorld(input: ScenarioConfigInput = {}): { world: World; clients: AwsClients } {
  const world = makeWorld({
    ...input,
    fleet: { desiredCapacity: 4, maxSize: 8, ...input.fleet },
    clients: { sessions: 0, ...input.clients },
    targetGroup: { deregistrationDelaySeconds: 0, ...input.targetGroup },
  });
  return { world, clients: createAwsClients(world, { maxAttempts: 1 }) };
}

/** StartInstanceRefresh through the SDK, to launch template version 2 unless `desired` is false. */
export async function startRefresh(world: World, clients: AwsClients, preferences: RefreshPreferences, desired = true): Promise<string> {
  const response = await clients.autoScaling.send(
    new StartInstanceRefreshCommand({
      AutoScalingGroupName: groupName(world),
      ...(desired ? { DesiredConfiguration: { LaunchTemplate: { LaunchTemplateName: "ebb-app", Version: "2" } } } : {}),
      Preferences: { InstanceWarmup: 0, ...preferences },
    }),
  );
  return response.InstanceRefreshId ?? "";
}

export const latestRefresh = (world: World) => {
  const refreshes = world.autoscaling.group(groupName(world))?.refreshes ?? [];
  const refresh = refreshes[refreshes.length - 1];
  if (refresh === undefined) throw new Error("no instance refresh started");
  return refresh;
};

export interface RefreshTrace {
  seconds: number;
  /** Fewest instances in service and healthy in the target group at any second. */
  minHealthy: number;
  /** Most instances counting toward capacity (launching or in service) at any second. */
  peakActive: number;
}

/** Advances one second at a time until the latest refresh is no longer active, tracing capacity. */
export function runRefresh(world: World, limitSeconds = 4 * 3600): RefreshTrace {
  const trace: RefreshTrace = { seconds: 0, minHealthy: Number.POSITIVE_INFINITY, peakActive: 0 };
  const active = ["Pending", "InProgress", "Baking", "Cancelling", "RollbackInProgress"];
  while (active.includes(latestRefresh(world).status)) {
    if (trace.seconds >= limitSeconds) throw new Error(`refresh still ${latestRefresh(world).status} after ${limitSeconds} s`);
    const live = world.autoscaling.instances().filter((instance) => instance.lifecycleState !== "Terminated");
    const healthy = live.filter((instance) => instance.lifecycleState === "InService" && world.elb.targetState(targetGroupArn(world), instance.instanceId) === "healthy").length;
    const counted = live.filter((instance) => instance.lifecycleState === "InService" || instance.lifecycleState.startsWith("Pending")).length;
    trace.minHealthy = Math.min(trace.minHealthy, healthy);
    trace.peakActive = Math.max(trace.peakActive, counted);
    world.advance(1);
    trace.seconds += 1;
  }
  return trace;
}

export const versionsInService = (world: World): string[] =>
  world.autoscaling
    .instances()
    .filter((instance) => instance.lifecycleState === "InService")
    .map((instance) => instance.launchTemplate.version)
    .sort();

export const refreshEvents = (world: World): { type: string; detail: Record<string, string> }[] =>
  world.events
    .published()
    .filter((event) => event["detail-type"].startsWith("EC2 Auto Scaling Instance Refresh"))
    .map((event) => ({ type: event["detail-type"].replace("EC2 Auto Scaling Instance Refresh ", ""), detail: event.detail as Record<string, string> }));
