import { describe, expect, it } from "vitest";
import { loadBalancerDimension, targetGroupDimension } from "../../../sim/physics/fleet-publisher.ts";
import { START_MS, at, quietWorld } from "../../support/world.ts";

describe("metrics the fleet publishes", () => {
  // What is published, read back at once: CloudWatch's ingestion delay is tested on its own (ingestion-delay.test.ts).
  const fleetWorld = () => quietWorld({ fleet: { desiredCapacity: 3 }, clients: { sessions: 300 }, cloudwatch: { ingestionDelaySeconds: 0 } });

  it("publishes each live instance's connections every app.metricPeriodSeconds at high resolution", () => {
    const world = fleetWorld();
    world.advance(60);
    const [first] = world.autoscaling.instances();
    if (!first) throw new Error("the fleet has no instances");
    const result = world.cloudwatch.getMetricData({
      StartTime: at(0),
      EndTime: at(60),
      ScanBy: "TimestampAscending",
      MetricDataQueries: [{ Id: "c", MetricStat: { Metric: { Namespace: "Ebb/App", MetricName: "ActiveConnections", Dimensions: [{ Name: "InstanceId", Value: first.instanceId }] }, Period: 10, Stat: "Maximum" } }],
    });
    expect(result.MetricDataResults[0]?.Timestamps).toEqual([10, 20, 30, 40, 50].map((seconds) => at(seconds)));
    expect(result.MetricDataResults[0]?.Values.at(-1)).toBe(world.clients.connectionsOf(first.instanceId));
  });

  it("publishes the Auto Scaling group's total as one statistic set per period", () => {
    const world = fleetWorld();
    world.advance(30);
    const total = world.clients.totalConnections();
    const stats = world.cloudwatch.getMetricStatistics({
      Metric: { Namespace: "Ebb/App", MetricName: "ActiveConnections", Dimensions: [{ Name: "AutoScalingGroupName", Value: "ebb-demo-asg" }] },
      StartTime: at(30),
      EndTime: at(31),
      Period: 1,
      Statistics: ["Sum", "SampleCount"],
    });
    expect(stats.Datapoints).toEqual([{ Timestamp: at(30), Unit: "Count", Sum: total, SampleCount: 3 }]);
  });

  it("stops publishing for a crashed instance", () => {
    const world = fleetWorld();
    const [, victim] = world.autoscaling.instances();
    if (!victim) throw new Error("the fleet has too few instances");
    world.advance(20);
    world.autoscaling.crashInstance(victim.instanceId);
    world.advance(40);
    const stats = world.cloudwatch.getMetricStatistics({
      Metric: { Namespace: "Ebb/App", MetricName: "ActiveConnections", Dimensions: [{ Name: "InstanceId", Value: victim.instanceId }] },
      StartTime: at(0),
      EndTime: at(60),
      Period: 10,
      Statistics: ["SampleCount"],
    });
    expect(stats.Datapoints.map((point) => point["Timestamp"])).toEqual([at(10), at(20)]);
  });

  it("publishes ALB metrics per minute with AWS's ARN-suffix dimensions", () => {
    const world = fleetWorld();
    world.advance(120);
    const [group] = world.elb.targetGroups();
    const [loadBalancer] = world.elb.loadBalancers();
    if (!group || !loadBalancer) throw new Error("no load balancer");
    expect(targetGroupDimension(group.targetGroupArn)).toMatch(/^targetgroup\/ebb-app-tg\/[0-9a-f]+$/);
    expect(loadBalancerDimension(loadBalancer.loadBalancerArn)).toMatch(/^app\/ebb-app-alb\/[0-9a-f]+$/);
    const albMetric = (MetricName: string, withTargetGroup: boolean) =>
      world.cloudwatch.getMetricStatistics({
        Metric: {
          Namespace: "AWS/ApplicationELB",
          MetricName,
          Dimensions: [
            { Name: "LoadBalancer", Value: loadBalancerDimension(loadBalancer.loadBalancerArn) },
            ...(withTargetGroup ? [{ Name: "TargetGroup", Value: targetGroupDimension(group.targetGroupArn) }] : []),
          ],
        },
        StartTime: at(0),
        EndTime: at(120),
        Period: 60,
        Statistics: ["Minimum"],
      }).Datapoints;
    expect(albMetric("HealthyHostCount", true)).toEqual([
      { Timestamp: at(0), Unit: "Count", Minimum: world.elb.healthCounts(group.targetGroupArn).healthy },
      { Timestamp: at(60), Unit: "Count", Minimum: world.elb.healthCounts(group.targetGroupArn).healthy },
    ]);
    expect(albMetric("UnHealthyHostCount", true)).toHaveLength(2);
    expect(albMetric("ActiveConnectionCount", false).at(-1)?.["Minimum"]).toBe(world.clients.totalConnections());
    expect(albMetric("NewConnectionCount", false)).toHaveLength(2);
    expect(world.clock.nowMs).toBe(START_MS + 120_000);
  });
});
