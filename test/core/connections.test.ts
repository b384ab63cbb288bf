import { describe, expect, it } from "vitest";
import { connectionDatapoints, datapointsAfter, latestConnections } from "../../core/connections.ts";
import { createAwsClients } from "../../sim/aws-clients.ts";
import { quietWorld } from "../support/world.ts";

const METRIC = { namespace: "Ebb/App", metricName: "ActiveConnections", dimensionName: "InstanceId", periodSeconds: 10, maxAgeSeconds: 180 };

/**
 * Ebb reads the connection gauge through GetMetricData, which serves a datapoint only after
 * CloudWatch's ingestion delay (cloudwatch.ingestionDelaySeconds, 60 s by default; see
 * test/emulator/cloudwatch/ingestion-delay.test.ts for the AWS pages).
 */
describe("connection metrics behind CloudWatch's ingestion delay", () => {
  const fleet = () => quietWorld({ fleet: { desiredCapacity: 3 }, clients: { sessions: 300 } });

  it("latestConnections still finds every instance's newest readable value between two publishes", async () => {
    const world = fleet();
    // 5.5 s after a publish: the newest readable datapoints are from 65.5 s ago.
    world.advance(305.5);
    const { cloudWatch } = createAwsClients(world);
    const ids = world.autoscaling.instances().map((instance) => instance.instanceId);
    const latest = await latestConnections(cloudWatch, METRIC, ids, world.clock.now());
    expect(Object.keys(latest).sort()).toEqual([...ids].sort());
    for (const id of ids) expect(latest[id]).toBeGreaterThan(0);
  });

  it("a drain sees datapoints newer than its deregistration only once they are ingested, so it waits longer", async () => {
    const world = fleet();
    world.advance(125.5);
    const since = world.clock.now();
    const { cloudWatch } = createAwsClients(world);
    const ids = world.autoscaling.instances().map((instance) => instance.instanceId);
    const freshAt = async (seconds: number) => {
      world.advance(seconds - world.elapsedSeconds);
      const series = await connectionDatapoints(cloudWatch, METRIC, ids, since, new Date(world.clock.nowMs + 1000));
      return datapointsAfter(series.get(ids[0] ?? "") ?? [], since).map((point) => (point.timestamp.getTime() - world.startMs) / 1000);
    };
    // Published at 130, 140, 150 s, none readable before 190 s.
    expect(await freshAt(185)).toEqual([]);
    expect(await freshAt(211)).toEqual([130, 140, 150]);
  });
});
