import { describe, expect, it } from "vitest";
import { parseScenarioConfig } from "../../../sim/scenarios.ts";
import { cpuPercent, sessionsAt, takeProportionally } from "../../../sim/physics/traffic.ts";
import { at, quietWorld } from "../../support/world.ts";

const RAMPS = [
  { atSeconds: 100, durationSeconds: 200, sessions: 3000 },
  { atSeconds: 400, durationSeconds: 100, sessions: 1000 },
];

describe("the clients' traffic shape", () => {
  it("moves the wanted sessions linearly along each ramp and holds between them", () => {
    expect([0, 100, 200, 300, 350, 450, 500, 900].map((t) => sessionsAt(1000, RAMPS, t))).toEqual([1000, 1000, 2000, 3000, 3000, 2000, 1000, 1000]);
  });

  it("takes leavers off the instances in proportion to what they hold, exactly", () => {
    const counts = [600, 300, 100];
    expect(takeProportionally(counts, 100)).toBe(100);
    expect(counts).toEqual([540, 270, 90]);
    const sparse: number[] = [];
    sparse[2] = 5;
    expect(takeProportionally(sparse, 9)).toBe(5);
  });

  it("connects arriving sessions through the load balancer and lets leaving ones go without a forced close", () => {
    const world = quietWorld({ fleet: { desiredCapacity: 3 }, clients: { sessions: 1000, churnPerHour: 0, ramps: RAMPS } });
    world.advance(301);
    expect(world.clients.totalConnections()).toBe(3000);
    world.advance(300);
    expect(world.clients.totalConnections()).toBe(1000);
    expect(world.clients.counts().sessions).toBe(1000);
    expect(world.stats.forcedDisconnects).toBe(0);
  });

  it("refuses overlapping ramps", () => {
    expect(() => parseScenarioConfig({ clients: { ramps: [{ atSeconds: 0, durationSeconds: 600, sessions: 10 }, { atSeconds: 300, sessions: 5 }] } }, "test")).toThrow(/ramps/);
  });
});

describe("CPU proportional to connections", () => {
  it("is idle plus a share per connection, capped at 100%", () => {
    const cpu = { idlePercent: 5, percentPerThousandConnections: 26 };
    expect(cpuPercent(0, cpu)).toBe(5);
    expect(cpuPercent(2500, cpu)).toBe(70);
    expect(cpuPercent(10_000, cpu)).toBe(100);
  });

  it("is published every minute as AWS/EC2 CPUUtilization per group, the average of its instances", () => {
    const world = quietWorld({ fleet: { desiredCapacity: 3 }, clients: { sessions: 3000, churnPerHour: 0 }, cloudwatch: { ingestionDelaySeconds: 0 } });
    world.advance(120);
    const stats = world.cloudwatch.getMetricStatistics({
      Metric: { Namespace: "AWS/EC2", MetricName: "CPUUtilization", Dimensions: [{ Name: "AutoScalingGroupName", Value: "ebb-demo-asg" }] },
      StartTime: at(0),
      EndTime: at(120),
      Period: 60,
      Statistics: ["Average", "SampleCount"],
    });
    expect(stats.Datapoints).toEqual([
      { Timestamp: at(0), Unit: "Percent", Average: 31, SampleCount: 3 },
      { Timestamp: at(60), Unit: "Percent", Average: 31, SampleCount: 3 },
    ]);
  });
});
