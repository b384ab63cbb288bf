import {
  DescribeAlarmsCommand,
  GetMetricDataCommand,
  GetMetricStatisticsCommand,
  ListMetricsCommand,
  PutMetricAlarmCommand,
  PutMetricDataCommand,
  type CloudWatchClient,
} from "@aws-sdk/client-cloudwatch";
import { describe, expect, it } from "vitest";
import { scenarioConfigSchema } from "../../../sim/config/schema.ts";
import { createAwsClients } from "../../../sim/aws-clients.ts";
import { parseScenarioConfig } from "../../../sim/scenarios.ts";
import { at, quietWorld } from "../../support/world.ts";

/**
 * CloudWatch accepts PutMetricData at once but serves the data later. AWS Knowledge Center, "Why
 * did my CloudWatch alarm trigger when its metric doesn't have any breaching data points?"
 * (https://aws.amazon.com/premiumsupport/knowledge-center/cloudwatch-trigger-metric/): "CloudWatch
 * alarms evaluate metrics based on data points available at a specific moment ... You might not
 * be able to see a breaching data point that triggered your alarm if that data hasn't flowed into
 * the metric yet." The PutMetricData API reference gives delays only for back-dated data (up to
 * 2 hours for timestamps 3-24 hours old), none for current data: the emulator's delay is a
 * scenario setting.
 */
const DELAY = 45;
const DIMENSIONS = [{ Name: "Queue", Value: "q1" }];

const depthAt = async (cloudWatch: CloudWatchClient): Promise<number[]> => {
  const result = await cloudWatch.send(
    new GetMetricDataCommand({
      StartTime: at(0),
      EndTime: at(600),
      MetricDataQueries: [{ Id: "depth", MetricStat: { Metric: { Namespace: "Ebb/Test", MetricName: "Depth", Dimensions: DIMENSIONS }, Period: 60, Stat: "Maximum" } }],
    }),
  );
  return result.MetricDataResults?.[0]?.Values ?? [];
};

describe("CloudWatch ingestion delay (cloudwatch.ingestionDelaySeconds)", () => {
  it("serves a datapoint to GetMetricData, GetMetricStatistics and ListMetrics only once the delay has passed", async () => {
    const world = quietWorld({ cloudwatch: { ingestionDelaySeconds: DELAY } });
    world.advance(150);
    const { cloudWatch } = createAwsClients(world);
    await cloudWatch.send(new PutMetricDataCommand({ Namespace: "Ebb/Test", MetricData: [{ MetricName: "Depth", Dimensions: DIMENSIONS, Timestamp: at(150), Value: 7 }] }));

    world.advance(DELAY - 1);
    expect(await depthAt(cloudWatch)).toEqual([]);
    expect((await cloudWatch.send(new ListMetricsCommand({ Namespace: "Ebb/Test" }))).Metrics).toEqual([]);
    const statistics = () =>
      cloudWatch.send(new GetMetricStatisticsCommand({ Namespace: "Ebb/Test", MetricName: "Depth", Dimensions: DIMENSIONS, StartTime: at(0), EndTime: at(600), Period: 60, Statistics: ["Maximum"] }));
    expect((await statistics()).Datapoints).toEqual([]);

    world.advance(1);
    expect(await depthAt(cloudWatch)).toEqual([7]);
    expect((await cloudWatch.send(new ListMetricsCommand({ Namespace: "Ebb/Test" }))).Metrics).toHaveLength(1);
    expect((await statistics()).Datapoints).toMatchObject([{ Timestamp: at(120), Maximum: 7 }]);
  });

  it("evaluates alarms on ingested data only: an evaluation before the datapoint is readable does not see it", async () => {
    const run = async (ingestionDelaySeconds: number) => {
      const world = quietWorld({ cloudwatch: { ingestionDelaySeconds } });
      world.advance(150);
      const { cloudWatch } = createAwsClients(world);
      await cloudWatch.send(
        new PutMetricAlarmCommand({
          AlarmName: "deep-queue",
          Namespace: "Ebb/Test",
          MetricName: "Depth",
          Dimensions: DIMENSIONS,
          Statistic: "Maximum",
          Period: 60,
          EvaluationPeriods: 1,
          Threshold: 5,
          ComparisonOperator: "GreaterThanThreshold",
        }),
      );
      await cloudWatch.send(new PutMetricDataCommand({ Namespace: "Ebb/Test", MetricData: [{ MetricName: "Depth", Dimensions: DIMENSIONS, Timestamp: at(150), Value: 7 }] }));
      const stateAt = async (seconds: number) => {
        world.advanceTo(at(seconds).getTime());
        return (await cloudWatch.send(new DescribeAlarmsCommand({ AlarmNames: ["deep-queue"] }))).MetricAlarms?.[0]?.StateValue;
      };
      return [await stateAt(181), await stateAt(241)];
    };
    // The evaluation at 180 s sees the datapoint put at 150 s only if it was ingested by then.
    expect(await run(0)).toEqual(["ALARM", "ALARM"]);
    expect(await run(DELAY)).toEqual(["INSUFFICIENT_DATA", "ALARM"]);
  });

  it("defaults to 60 s and rejects a negative delay naming the field", () => {
    expect(scenarioConfigSchema.parse({}).cloudwatch.ingestionDelaySeconds).toBe(60);
    expect(() => parseScenarioConfig({ cloudwatch: { ingestionDelaySeconds: -1 } }, "test")).toThrow(/cloudwatch\.ingestionDelaySeconds/);
  });
});
