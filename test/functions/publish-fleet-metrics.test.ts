import { DeregisterTargetsCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { GetMetricStatisticsCommand } from "@aws-sdk/client-cloudwatch";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { configureRuntime, resetRuntime } from "../../core/runtime.ts";
import type { PublishedFleetMetrics } from "../../core/scaling/publisher.ts";
import { handler } from "../../functions/publish-fleet-metrics.ts";
import { createAwsClients, inProcessClientConfig } from "../../sim/aws-clients.ts";
import { World } from "../../sim/world.ts";
import { scenarioConfigSchema } from "../../sim/config/schema.ts";
import { lambdaContext } from "./support.ts";

const GROUP = "ebb-demo-asg";
const context = lambdaContext("publish-fleet-metrics");
let world: World;

beforeEach(() => {
  world = new World(scenarioConfigSchema.parse({ fleet: { desiredCapacity: 3 }, clients: { sessions: 3000, churnPerHour: 0 }, aws: { apiLatencyMs: 0 }, run: { kind: "idle" } }));
  configureRuntime({
    clientConfig: inProcessClientConfig(world),
    clock: world.clock,
    stage: { stage: "test", autoScalingGroups: [GROUP], tables: { locks: "l-t", deploys: "d-t", idempotency: "i-t" } },
    logLevel: "SILENT",
  });
  // Past CloudWatch's ingestion delay, so every instance's gauge is readable.
  world.advance(180);
});
afterEach(() => resetRuntime());

const publish = async (): Promise<PublishedFleetMetrics> => {
  const [metrics] = (await handler({}, context)) as PublishedFleetMetrics[];
  if (metrics === undefined) throw new Error("no group published");
  return metrics;
};

const readBack = async (metricName: string): Promise<number | undefined> => {
  world.advance(120);
  const { cloudWatch } = createAwsClients(world);
  const response = await cloudWatch.send(
    new GetMetricStatisticsCommand({
      Namespace: "Ebb",
      MetricName: metricName,
      Dimensions: [{ Name: "AutoScalingGroupName", Value: GROUP }],
      StartTime: new Date(world.clock.nowMs - 600_000),
      EndTime: world.clock.now(),
      Period: 60,
      Statistics: ["Maximum"],
    }),
  );
  return response.Datapoints?.sort((a, b) => (a.Timestamp?.getTime() ?? 0) - (b.Timestamp?.getTime() ?? 0)).at(-1)?.Maximum;
};

describe("publish-fleet-metrics (on the emulated account)", () => {
  it("puts the group's connection metrics in namespace Ebb, readable by the alarms", async () => {
    const metrics = await publish();
    expect(metrics).toMatchObject({ healthyInstances: 3, totalConnections: 3000, connectionsPerHealthyInstance: 1000, drainingConnections: 0, connectionSkew: 1 });
    expect(metrics.published).toEqual(["ConnectionsPerHealthyInstance", "TotalConnections", "HealthyInstances", "DrainingConnections", "ConnectionSkew"]);
    expect(await readBack("ConnectionsPerHealthyInstance")).toBe(1000);
  });

  it("takes a deregistered (draining) instance out of the seats but keeps its clients in the count", async () => {
    const [drainingId] = world.autoscaling.instances().map((instance) => instance.instanceId);
    const targetGroupArn = world.elb.targetGroups()[0]?.targetGroupArn;
    await createAwsClients(world).elbv2.send(new DeregisterTargetsCommand({ TargetGroupArn: targetGroupArn, Targets: [{ Id: drainingId ?? "" }] }));
    const metrics = await publish();
    expect(metrics.healthyInstances).toBe(2);
    expect(metrics.drainingConnections).toBe(1000);
    expect(metrics.connectionsPerHealthyInstance).toBe(1500);
  });

  it("rejects an event that is not an object before reading anything", async () => {
    const calls = world.stats.apiCalls.size;
    await expect(handler("not an event", context)).rejects.toThrow(/InvalidEvent|event/);
    expect(world.stats.apiCalls.size).toBe(calls);
  });
});
