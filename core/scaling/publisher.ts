import { PutMetricDataCommand, type MetricDatum } from "@aws-sdk/client-cloudwatch";
import { connectionDatapoints } from "../connections.ts";
import { describeGroup } from "../fleet.ts";
import type { Runtime } from "../runtime.ts";
import { describeTargets, targetGroupArnsFor } from "../targets.ts";
import { computeFleetMetrics, growthPerSecond, scalingRole, type FleetMetrics, type InstanceReading } from "./fleet-metrics.ts";

/** The namespace and names target tracking and the skew alarm read (infra/ deploys both on them). */
export const FLEET_METRICS_NAMESPACE = "Ebb";
export const FLEET_METRIC_NAMES = {
  connectionsPerHealthyInstance: "ConnectionsPerHealthyInstance",
  totalConnections: "TotalConnections",
  healthyInstances: "HealthyInstances",
  drainingConnections: "DrainingConnections",
  connectionSkew: "ConnectionSkew",
} as const;

export interface PublishedFleetMetrics extends FleetMetrics {
  readonly autoScalingGroupName: string;
  /** Names actually put (an unknown value is left out, never sent as 0). */
  readonly published: readonly string[];
}

const datum = (name: string, group: string, timestamp: Date, value: number, unit: "Count" | "None"): MetricDatum => ({
  MetricName: name,
  Dimensions: [{ Name: "AutoScalingGroupName", Value: group }],
  Timestamp: timestamp,
  Value: value,
  Unit: unit,
  StorageResolution: 60,
});

/** Reads one group's instances, target health and connection gauges, and puts its fleet metrics. */
export async function publishGroupMetrics(rt: Runtime, groupName: string): Promise<PublishedFleetMetrics> {
  const { autoScaling, elbv2, cloudWatch } = rt.clients;
  const now = rt.clock.now();
  const group = await describeGroup(autoScaling, groupName);
  const live = group.instances.filter((instance) => instance.lifecycleState !== "Terminated");
  const ids = live.map((instance) => instance.instanceId);
  const targets = await describeTargets(elbv2, targetGroupArnsFor(group, rt.stage), ids);
  const { connectionMetric, scaling } = rt.stage;
  // Twice the staleness limit: a datapoint just past it is still worth carrying for a draining instance.
  const lookbackMs = 2 * scaling.staleAfterSeconds * 1000;
  const series = await connectionDatapoints(cloudWatch, connectionMetric, ids, new Date(now.getTime() - lookbackMs), now);
  const readings: InstanceReading[] = live.map((instance) => {
    const points = series.get(instance.instanceId) ?? [];
    return { instanceId: instance.instanceId, role: scalingRole(instance, targets.get(instance.instanceId)), latest: points.at(-1), growthPerSecond: growthPerSecond(points) };
  });
  const metrics = computeFleetMetrics(readings, now.getTime(), scaling.staleAfterSeconds, scaling.lookaheadSeconds);
  const minute = new Date(Math.floor(now.getTime() / 60_000) * 60_000);
  const values: Array<[name: string, value: number | undefined, unit: "Count" | "None"]> = [
    [FLEET_METRIC_NAMES.connectionsPerHealthyInstance, metrics.connectionsPerHealthyInstance, "Count"],
    [FLEET_METRIC_NAMES.totalConnections, metrics.totalConnections, "Count"],
    [FLEET_METRIC_NAMES.healthyInstances, metrics.healthyInstances, "Count"],
    [FLEET_METRIC_NAMES.drainingConnections, metrics.drainingConnections, "Count"],
    [FLEET_METRIC_NAMES.connectionSkew, metrics.connectionSkew, "None"],
  ];
  const data = values.flatMap(([name, value, unit]) => (value === undefined ? [] : [datum(name, groupName, minute, value, unit)]));
  await cloudWatch.send(new PutMetricDataCommand({ Namespace: FLEET_METRICS_NAMESPACE, MetricData: data }));
  if (metrics.unknownServing.length > 0) rt.logger.warn("serving instances without a fresh connection datapoint", { groupName, instances: metrics.unknownServing });
  return { ...metrics, autoScalingGroupName: groupName, published: data.map((entry) => entry.MetricName ?? "") };
}

/** Every group of the stage, one after another (a failing group does not hide the others' metrics). */
export async function publishFleetMetrics(rt: Runtime): Promise<PublishedFleetMetrics[]> {
  const results: PublishedFleetMetrics[] = [];
  const failures: unknown[] = [];
  for (const groupName of rt.stage.autoScalingGroups) {
    try {
      results.push(await publishGroupMetrics(rt, groupName));
    } catch (error) {
      failures.push(error);
    }
  }
  if (failures.length > 0) throw new AggregateError(failures, `fleet metrics failed for ${failures.length} of ${rt.stage.autoScalingGroups.length} groups`);
  return results;
}
