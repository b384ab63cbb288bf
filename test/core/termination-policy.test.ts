import { PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { describe, expect, it } from "vitest";
import { createRuntime } from "../../core/runtime.ts";
import { chooseFewestConnections, chooseScaleInVictims, type TerminationPolicyEvent } from "../../core/termination-policy.ts";
import { inProcessClientConfig } from "../../sim/aws-clients.ts";
import { tableNames } from "../../infra/stage-config.ts";
import { quietWorld } from "../support/world.ts";

/**
 * The input and answer follow the Auto Scaling user guide, "Create a custom termination policy
 * with Lambda" (https://docs.aws.amazon.com/autoscaling/ec2/userguide/lambda-custom-termination-policy.html):
 * CapacityToTerminate per Availability Zone and market option, the suggested Instances, InstanceIDs back.
 */
const event = (capacity: Record<string, number>, instances: [string, string][]): TerminationPolicyEvent => ({
  AutoScalingGroupName: "ebb-demo-asg",
  CapacityToTerminate: Object.entries(capacity).map(([AvailabilityZone, Capacity]) => ({ AvailabilityZone, Capacity, InstanceMarketOption: "on-demand" })),
  Instances: instances.map(([InstanceId, AvailabilityZone]) => ({ InstanceId, AvailabilityZone, InstanceMarketOption: "on-demand" })),
  Cause: "SCALE_IN",
});

describe("chooseFewestConnections", () => {
  const suggested: [string, string][] = [
    ["i-a1", "a"], ["i-a2", "a"], ["i-a3", "a"],
    ["i-b1", "b"], ["i-b2", "b"], ["i-b3", "b"],
  ];

  it("takes each zone's capacity from that zone, fewest connections first", () => {
    const connections = new Map([["i-a1", 900], ["i-a2", 10], ["i-a3", 500], ["i-b1", 5], ["i-b2", 800], ["i-b3", 700]]);
    expect(chooseFewestConnections(event({ a: 2, b: 1 }, suggested), connections)).toEqual(["i-a2", "i-a3", "i-b1"]);
  });

  it("never trades a zone's capacity for a quieter instance in another zone", () => {
    const connections = new Map([["i-a1", 900], ["i-a2", 800], ["i-a3", 700], ["i-b1", 0], ["i-b2", 0], ["i-b3", 0]]);
    expect(chooseFewestConnections(event({ a: 1 }, suggested), connections)).toEqual(["i-a3"]);
  });

  it("an instance without a fresh datapoint ranks after every known one, whatever a stale value said", () => {
    // i-a1 has no fresh datapoint (it may hold anything): the known ones go first, even the busy one.
    const connections = new Map([["i-a2", 300], ["i-a3", 40]]);
    expect(chooseFewestConnections(event({ a: 2 }, suggested), connections)).toEqual(["i-a3", "i-a2"]);
    // Too few known instances in the zone: the unknown one fills the capacity (it is still drained by the terminate hook).
    expect(chooseFewestConnections(event({ a: 3 }, suggested), connections)).toEqual(["i-a3", "i-a2", "i-a1"]);
  });

  it("ties keep Auto Scaling's order of suggestion", () => {
    const connections = new Map([["i-a1", 7], ["i-a2", 7], ["i-a3", 7]]);
    expect(chooseFewestConnections(event({ a: 2 }, suggested), connections)).toEqual(["i-a1", "i-a2"]);
    expect(chooseFewestConnections(event({ a: 2 }, [["i-a3", "a"], ["i-a2", "a"], ["i-a1", "a"]]), connections)).toEqual(["i-a3", "i-a2"]);
  });

  it("gives what a zone has when it asks for more, and nothing for a zone it does not list", () => {
    const connections = new Map([["i-a1", 1], ["i-b1", 1]]);
    expect(chooseFewestConnections(event({ a: 5, c: 2 }, suggested), connections)).toEqual(["i-a1", "i-a2", "i-a3"]);
  });
});

describe("chooseScaleInVictims reads the connection gauge through CloudWatch", () => {
  it("uses only datapoints within maxAgeSeconds: a stale zero is unknown, not empty", async () => {
    const world = quietWorld();
    world.advance(1000);
    const rt = createRuntime({
      clientConfig: inProcessClientConfig(world),
      clock: { now: () => world.clock.now() },
      stage: { stage: "test", autoScalingGroups: ["ebb-demo-asg"], tables: tableNames("test"), connectionMetric: { maxAgeSeconds: 180 } },
      logLevel: "SILENT",
    });
    const put = (instanceId: string, agoSeconds: number, value: number) =>
      rt.clients.cloudWatch.send(new PutMetricDataCommand({
        Namespace: "Ebb/App",
        MetricData: [{ MetricName: "ActiveConnections", Dimensions: [{ Name: "InstanceId", Value: instanceId }], Timestamp: new Date(world.clock.nowMs - agoSeconds * 1000), Value: value, StorageResolution: 1 }],
      }));
    await put("i-fresh-busy", 10, 400);
    await put("i-fresh-quiet", 10, 25);
    await put("i-stale-zero", 400, 0);
    await put("i-stale-zero", 250, 0);
    // Readable only after CloudWatch's ingestion delay.
    world.advance(120);
    const answer = await chooseScaleInVictims(rt, event({ a: 2 }, [["i-stale-zero", "a"], ["i-silent", "a"], ["i-fresh-busy", "a"], ["i-fresh-quiet", "a"]]));
    expect(answer).toEqual({ InstanceIDs: ["i-fresh-quiet", "i-fresh-busy"] });
  });

  it("refuses a group the stage does not list", async () => {
    const world = quietWorld();
    const rt = createRuntime({
      clientConfig: inProcessClientConfig(world),
      clock: { now: () => world.clock.now() },
      stage: { stage: "test", autoScalingGroups: ["another-asg"], tables: tableNames("test") },
      logLevel: "SILENT",
    });
    await expect(chooseScaleInVictims(rt, event({ a: 1 }, [["i-a1", "a"]]))).rejects.toThrow(/not in this stage's autoScalingGroups/);
  });
});
