import {
  CloudWatchClient,
  DeleteAlarmsCommand,
  DescribeAlarmsCommand,
  GetMetricDataCommand,
  GetMetricStatisticsCommand,
  ListMetricsCommand,
  PutMetricAlarmCommand,
  PutMetricDataCommand,
  SetAlarmStateCommand,
  type MetricDatum,
} from "@aws-sdk/client-cloudwatch";
import { describe, expect, it } from "vitest";
import { createAwsClients } from "../../../sim/aws-clients.ts";
import { routerFor } from "../../../emulator/protocol/routers.ts";
import type { World } from "../../../sim/world.ts";
import { at, quietWorld } from "../../support/world.ts";

/** Records the Content-Encoding of every request the client sends. */
const recordEncodings = (client: CloudWatchClient): Array<string | undefined> => {
  const encodings: Array<string | undefined> = [];
  client.middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as { headers?: Record<string, string> };
      encodings.push(request.headers?.["content-encoding"]);
      return next(args);
    },
    { step: "finalizeRequest", name: "recordEncoding" },
  );
  return encodings;
};

const instanceDatum = (index: number, seconds: number): MetricDatum => ({
  MetricName: "ActiveConnections",
  Dimensions: [{ Name: "InstanceId", Value: `i-${String(index).padStart(17, "0")}` }],
  Timestamp: at(seconds),
  Value: index,
  Unit: "Count",
  StorageResolution: 1,
});

describe("CloudWatch through the real SDK (AWS JSON 1.0)", () => {
  it("accepts a gzip-compressed PutMetricData and reads it back with GetMetricData", async () => {
    const world = quietWorld();
    world.advance(120);
    const { cloudWatch } = createAwsClients(world);
    const encodings = recordEncodings(cloudWatch);
    const data = Array.from({ length: 400 }, (_, index) => instanceDatum(index, 60 + (index % 3) * 10));
    await cloudWatch.send(new PutMetricDataCommand({ Namespace: "Ebb/App", MetricData: data }));
    expect(encodings).toEqual(["gzip"]);
    world.advance(world.config.cloudwatch.ingestionDelaySeconds);

    const result = await cloudWatch.send(
      new GetMetricDataCommand({
        StartTime: at(0),
        EndTime: at(120),
        MetricDataQueries: [
          { Id: "seven", MetricStat: { Metric: { Namespace: "Ebb/App", MetricName: "ActiveConnections", Dimensions: [{ Name: "InstanceId", Value: `i-${"7".padStart(17, "0")}` }] }, Period: 10, Stat: "Maximum" } },
          { Id: "last", Label: "last instance", MetricStat: { Metric: { Namespace: "Ebb/App", MetricName: "ActiveConnections", Dimensions: [{ Name: "InstanceId", Value: `i-${"399".padStart(17, "0")}` }] }, Period: 60, Stat: "Sum" } },
        ],
      }),
    );
    expect(result.MetricDataResults).toEqual([
      { Id: "seven", Label: "ActiveConnections", Timestamps: [at(70)], Values: [7], StatusCode: "Complete", Messages: [] },
      { Id: "last", Label: "last instance", Timestamps: [at(60)], Values: [399], StatusCode: "Complete", Messages: [] },
    ]);
    const listed = await cloudWatch.send(new ListMetricsCommand({ Namespace: "Ebb/App" }));
    expect(listed.Metrics).toHaveLength(400);
  });

  it("answers GetMetricStatistics with Date timestamps", async () => {
    const world = quietWorld();
    world.advance(60);
    const { cloudWatch } = createAwsClients(world);
    await cloudWatch.send(new PutMetricDataCommand({ Namespace: "Ebb/App", MetricData: [instanceDatum(3, 0), instanceDatum(3, 30), { ...instanceDatum(3, 40), Value: 9 }] }));
    world.advance(world.config.cloudwatch.ingestionDelaySeconds);
    const result = await cloudWatch.send(
      new GetMetricStatisticsCommand({
        Namespace: "Ebb/App",
        MetricName: "ActiveConnections",
        Dimensions: [{ Name: "InstanceId", Value: `i-${"3".padStart(17, "0")}` }],
        StartTime: at(0),
        EndTime: at(60),
        Period: 60,
        Statistics: ["Average", "Maximum", "SampleCount"],
      }),
    );
    expect(result.Datapoints).toEqual([{ Timestamp: at(0), Average: 5, Maximum: 9, SampleCount: 3, Unit: "Count" }]);
  });

  it("manages alarms and returns CloudWatch's error codes", async () => {
    const world = quietWorld();
    const { cloudWatch } = createAwsClients(world, { maxAttempts: 1 });
    await cloudWatch.send(
      new PutMetricAlarmCommand({
        AlarmName: "ebb-unhealthy",
        Namespace: "AWS/ApplicationELB",
        MetricName: "UnHealthyHostCount",
        Dimensions: [{ Name: "TargetGroup", Value: "targetgroup/ebb-app-tg/1" }],
        Statistic: "Maximum",
        Period: 60,
        EvaluationPeriods: 3,
        DatapointsToAlarm: 2,
        Threshold: 0,
        ComparisonOperator: "GreaterThanThreshold",
        TreatMissingData: "notBreaching",
      }),
    );
    await cloudWatch.send(new SetAlarmStateCommand({ AlarmName: "ebb-unhealthy", StateValue: "ALARM", StateReason: "drill", StateReasonData: "{}" }));
    const described = await cloudWatch.send(new DescribeAlarmsCommand({ AlarmNamePrefix: "ebb-" }));
    expect(described.MetricAlarms?.[0]).toMatchObject({ AlarmName: "ebb-unhealthy", StateValue: "ALARM", StateReason: "drill", DatapointsToAlarm: 2, StateUpdatedTimestamp: world.clock.now() });
    expect(described.CompositeAlarms).toEqual([]);

    await expect(cloudWatch.send(new SetAlarmStateCommand({ AlarmName: "ghost", StateValue: "OK", StateReason: "x" }))).rejects.toMatchObject({
      name: "ResourceNotFound",
      message: "Alarm ghost not found",
    });
    await expect(cloudWatch.send(new PutMetricDataCommand({ Namespace: "AWS/EC2", MetricData: [instanceDatum(1, 0)] }))).rejects.toMatchObject({
      name: "InvalidParameterValueException",
    });
    await expect(cloudWatch.send(new PutMetricDataCommand({ Namespace: "Ebb/App", MetricData: [{ MetricName: "x", Value: 1, StatisticValues: { SampleCount: 1, Sum: 1, Minimum: 1, Maximum: 1 } }] }))).rejects.toMatchObject({
      name: "InvalidParameterCombinationException",
    });
    await expect(cloudWatch.send(new PutMetricDataCommand({ Namespace: "Ebb/App" } as never))).rejects.toMatchObject({
      name: "MissingRequiredParameterException",
      message: "The parameter MetricData is required.",
    });
    await cloudWatch.send(new DeleteAlarmsCommand({ AlarmNames: ["ebb-unhealthy"] }));
    expect((await cloudWatch.send(new DescribeAlarmsCommand({}))).MetricAlarms).toEqual([]);
  });
});

describe("CloudWatch over the query protocol (what the AWS CLI sends)", () => {
  const call = async (world: World, fields: Record<string, string>) => {
    const body = new URLSearchParams({ Version: "2010-08-01", ...fields }).toString();
    return routerFor(world).route({
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
      query: new URLSearchParams(),
      hostname: "monitoring.us-east-1.amazonaws.com",
      body: new TextEncoder().encode(body),
    });
  };

  it("accepts string values and ISO timestamps and answers in XML", async () => {
    const world = quietWorld();
    world.advance(120);
    const put = await call(world, {
      Action: "PutMetricData",
      Namespace: "Ebb/Cli",
      "MetricData.member.1.MetricName": "Depth",
      "MetricData.member.1.Value": "5",
      "MetricData.member.1.Timestamp": "2026-01-01T00:00:30Z",
      "MetricData.member.1.Dimensions.member.1.Name": "Queue",
      "MetricData.member.1.Dimensions.member.1.Value": "q1",
      "MetricData.member.2.MetricName": "Depth",
      "MetricData.member.2.Values.member.1": "1",
      "MetricData.member.2.Values.member.2": "2",
      "MetricData.member.2.Counts.member.1": "2",
      "MetricData.member.2.Counts.member.2": "1",
      "MetricData.member.2.Timestamp": "2026-01-01T00:00:40Z",
      "MetricData.member.2.Dimensions.member.1.Name": "Queue",
      "MetricData.member.2.Dimensions.member.1.Value": "q1",
    });
    expect(put.statusCode).toBe(200);
    world.advance(world.config.cloudwatch.ingestionDelaySeconds);
    const stats = await call(world, {
      Action: "GetMetricStatistics",
      Namespace: "Ebb/Cli",
      MetricName: "Depth",
      "Dimensions.member.1.Name": "Queue",
      "Dimensions.member.1.Value": "q1",
      StartTime: "2026-01-01T00:00:00Z",
      EndTime: "2026-01-01T00:02:00Z",
      Period: "60",
      "Statistics.member.1": "Sum",
      "Statistics.member.2": "SampleCount",
    });
    expect(stats.statusCode).toBe(200);
    expect(stats.body).toMatch(/<Timestamp>2026-01-01T00:00:00(\.000)?Z<\/Timestamp>/);
    expect(stats.body).toMatch(/<Sum>9(\.0)?<\/Sum>/);
    expect(stats.body).toMatch(/<SampleCount>4(\.0)?<\/SampleCount>/);
  });

  it("reports a malformed value as InvalidParameterValue with the parameter's wire name", async () => {
    const world = quietWorld();
    const response = await call(world, { Action: "PutMetricData", Namespace: "Ebb/Cli", "MetricData.member.1.MetricName": "Depth", "MetricData.member.1.Value": "lots" });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain("<Code>InvalidParameterValue</Code>");
    expect(response.body).toContain("MetricData.member.1.Value");
  });
});
