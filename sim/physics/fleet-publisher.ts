import type { World } from "../world.ts";
import { appIsUp } from "./app.ts";
import { cpuPercent } from "./traffic.ts";
import type { MetricSeries } from "../../emulator/cloudwatch/metric-series.ts";
import type { MetricStore } from "../../emulator/cloudwatch/metric-store.ts";

const ALB_NAMESPACE = "AWS/ApplicationELB";
const ALB_PERIOD_MS = 60_000;

/** The `targetgroup/name/id` and `app/name/id` values AWS uses as ALB metric dimensions. */
export const targetGroupDimension = (targetGroupArn: string): string => targetGroupArn.split(":").slice(5).join(":");
export const loadBalancerDimension = (loadBalancerArn: string): string =>
  targetGroupDimension(loadBalancerArn).replace(/^loadbalancer\//, "");

/**
 * What the fleet itself puts into CloudWatch: each live instance's connection count every
 * app.metricPeriodSeconds (InstanceId dimension, plus one statistic set per Auto Scaling group),
 * and the load balancer's metrics for the previous minute, every minute.
 */
export class FleetMetricPublisher {
  readonly #world: World;
  readonly #store: MetricStore;
  /** Each instance's connection series, so a put does not rebuild the series key. */
  readonly #instanceSeries = new Map<string, MetricSeries>();
  #newConnectionsThisMinute = 0;

  constructor(world: World, store: MetricStore) {
    this.#world = world;
    this.#store = store;
  }

  step(nowMs: number): void {
    this.#newConnectionsThisMinute += this.#world.clients.newConnectionsLastStep();
    const periodMs = this.#world.config.app.metricPeriodSeconds * 1000;
    if (nowMs % periodMs === 0) this.#publishConnections(nowMs);
    if (nowMs % ALB_PERIOD_MS === 0) {
      this.#publishLoadBalancer(nowMs);
      this.#publishCpu(nowMs);
      this.#newConnectionsThisMinute = 0;
    }
  }

  #publishConnections(nowMs: number): void {
    const { metricNamespace, metricName, metricPeriodSeconds } = this.#world.config.app;
    const storageResolution = metricPeriodSeconds < 60 ? 1 : 60;
    const timestamp = new Date(nowMs);
    const groups = new Map<string, { count: number; sum: number; minimum: number; maximum: number }>();
    for (const instance of this.#world.autoscaling.instances()) {
      // The app's metric agent runs only while the app is up.
      if (!appIsUp(instance, nowMs)) continue;
      const connections = this.#world.clients.connectionsOf(instance.instanceId);
      let series = this.#instanceSeries.get(instance.instanceId);
      if (!series) {
        series = this.#store.seriesOf(metricNamespace, metricName, [{ Name: "InstanceId", Value: instance.instanceId }]);
        this.#instanceSeries.set(instance.instanceId, series);
      }
      this.#store.putInto(series, { MetricName: metricName, Timestamp: timestamp, Value: connections, Unit: "Count", StorageResolution: storageResolution }, nowMs);
      const group = groups.get(instance.autoScalingGroupName) ?? { count: 0, sum: 0, minimum: connections, maximum: connections };
      group.count += 1;
      group.sum += connections;
      group.minimum = Math.min(group.minimum, connections);
      group.maximum = Math.max(group.maximum, connections);
      groups.set(instance.autoScalingGroupName, group);
    }
    for (const [groupName, group] of groups) {
      this.#store.put(
        metricNamespace,
        {
          MetricName: metricName,
          Dimensions: [{ Name: "AutoScalingGroupName", Value: groupName }],
          Timestamp: timestamp,
          StatisticValues: { SampleCount: group.count, Sum: group.sum, Minimum: group.minimum, Maximum: group.maximum },
          Unit: "Count",
          StorageResolution: storageResolution,
        },
        nowMs,
      );
    }
  }

  /**
   * EC2 detailed monitoring: each running instance's CPUUtilization for the minute (InstanceId), and
   * the group's (AutoScalingGroupName) as a statistic set, stamped with the minute's start.
   */
  #publishCpu(nowMs: number): void {
    const timestamp = new Date(nowMs - ALB_PERIOD_MS);
    const { cpu } = this.#world.config.app;
    const groups = new Map<string, number[]>();
    for (const instance of this.#world.autoscaling.instances()) {
      if (instance.ec2State !== "running") continue;
      const percent = appIsUp(instance, nowMs) ? cpuPercent(this.#world.clients.connectionsOf(instance.instanceId), cpu) : cpu.idlePercent;
      this.#store.put("AWS/EC2", { MetricName: "CPUUtilization", Dimensions: [{ Name: "InstanceId", Value: instance.instanceId }], Timestamp: timestamp, Value: percent, Unit: "Percent" }, nowMs);
      groups.set(instance.autoScalingGroupName, [...(groups.get(instance.autoScalingGroupName) ?? []), percent]);
    }
    for (const [groupName, values] of groups) {
      this.#store.put(
        "AWS/EC2",
        {
          MetricName: "CPUUtilization",
          Dimensions: [{ Name: "AutoScalingGroupName", Value: groupName }],
          Timestamp: timestamp,
          StatisticValues: { SampleCount: values.length, Sum: values.reduce((sum, value) => sum + value, 0), Minimum: Math.min(...values), Maximum: Math.max(...values) },
          Unit: "Percent",
        },
        nowMs,
      );
    }
  }

  /** Published at the end of each minute, timestamped with the minute's start, as ALB metrics are. */
  #publishLoadBalancer(nowMs: number): void {
    const { elb, clients } = this.#world;
    const timestamp = new Date(nowMs - ALB_PERIOD_MS);
    const put = (metricName: string, dimensions: Record<string, string>, value: number): void =>
      this.#store.put(
        ALB_NAMESPACE,
        { MetricName: metricName, Dimensions: Object.entries(dimensions).map(([Name, Value]) => ({ Name, Value })), Timestamp: timestamp, Value: value, Unit: "Count" },
        nowMs,
      );
    const targetsByLoadBalancer = new Map<string, Set<string>>();
    for (const group of elb.targetGroups()) {
      const { healthy, unhealthy } = elb.healthCounts(group.targetGroupArn);
      for (const loadBalancerArn of group.loadBalancerArns) {
        const dimensions = { TargetGroup: targetGroupDimension(group.targetGroupArn), LoadBalancer: loadBalancerDimension(loadBalancerArn) };
        put("HealthyHostCount", dimensions, healthy);
        put("UnHealthyHostCount", dimensions, unhealthy);
        const targets = targetsByLoadBalancer.get(loadBalancerArn) ?? new Set<string>();
        for (const instanceId of group.targets.keys()) targets.add(instanceId);
        targetsByLoadBalancer.set(loadBalancerArn, targets);
      }
    }
    const total = clients.totalConnections();
    for (const loadBalancer of elb.loadBalancers()) {
      let active = 0;
      for (const instanceId of targetsByLoadBalancer.get(loadBalancer.loadBalancerArn) ?? []) active += clients.connectionsOf(instanceId);
      // New connections are not tracked per load balancer; with several, each gets its share of the active ones.
      const share = total === 0 ? 0 : active / total;
      const dimensions = { LoadBalancer: loadBalancerDimension(loadBalancer.loadBalancerArn) };
      put("ActiveConnectionCount", dimensions, active);
      put("NewConnectionCount", dimensions, Math.round(this.#newConnectionsThisMinute * share));
    }
  }
}
