import { describe, expect, it } from "vitest";
import type { AlarmStateChangeDetail, MetricAlarmInput } from "../../../emulator/cloudwatch/alarm-types.ts";
import type { World } from "../../../sim/world.ts";
import { quietWorld } from "../../support/world.ts";

const alarmInput = (overrides: Partial<MetricAlarmInput> = {}): MetricAlarmInput => ({
  AlarmName: "ebb-rollback",
  AlarmDescription: "Deploy health",
  MetricName: "Errors",
  Namespace: "Ebb/Test",
  Dimensions: [{ Name: "Service", Value: "chat" }],
  Statistic: "Average",
  Period: 60,
  EvaluationPeriods: 2,
  DatapointsToAlarm: 2,
  Threshold: 5,
  ComparisonOperator: "GreaterThanThreshold",
  ...overrides,
});

/** Publishes `value` every 10 s for `seconds`, moving the clock with it. */
const feed = (world: World, seconds: number, value: number | undefined): void => {
  for (let elapsed = 0; elapsed < seconds; elapsed += 10) {
    if (value !== undefined) {
      world.cloudwatch.putMetricData("Ebb/Test", [{ MetricName: "Errors", Dimensions: [{ Name: "Service", Value: "chat" }], Value: value, StorageResolution: 1 }]);
    }
    world.advance(10);
  }
};

const stateChanges = (world: World) =>
  world.events.published().filter((event) => event["detail-type"] === "CloudWatch Alarm State Change") as Array<
    ReturnType<World["events"]["published"]>[number] & { detail: AlarmStateChangeDetail }
  >;

describe("metric alarms", () => {
  it("starts in INSUFFICIENT_DATA and goes to ALARM after M of N breaching periods, announcing it once", () => {
    const world = quietWorld();
    world.cloudwatch.putMetricAlarm(alarmInput());
    expect(world.cloudwatch.alarm("ebb-rollback")).toMatchObject({ StateValue: "INSUFFICIENT_DATA", StateReason: "Unchecked: Initial alarm creation" });
    feed(world, 60, 10);
    expect(world.cloudwatch.alarm("ebb-rollback")?.StateValue).toBe("INSUFFICIENT_DATA");
    feed(world, 60, 10);
    expect(world.cloudwatch.alarm("ebb-rollback")?.StateValue).toBe("ALARM");
    feed(world, 180, 10);
    const changes = stateChanges(world);
    expect(changes).toHaveLength(1);
    const [event] = changes;
    expect(event).toMatchObject({
      version: "0",
      source: "aws.cloudwatch",
      account: "123456789012",
      region: "us-east-1",
      time: "2026-01-01T00:02:00Z",
      resources: ["arn:aws:cloudwatch:us-east-1:123456789012:alarm:ebb-rollback"],
      detail: {
        alarmName: "ebb-rollback",
        previousState: { value: "INSUFFICIENT_DATA", reason: "Unchecked: Initial alarm creation", timestamp: "2026-01-01T00:00:00.000+0000" },
        state: { value: "ALARM", timestamp: "2026-01-01T00:02:00.000+0000" },
        configuration: {
          description: "Deploy health",
          metrics: [{ metricStat: { metric: { namespace: "Ebb/Test", name: "Errors", dimensions: { Service: "chat" } }, period: 60, stat: "Average" }, returnData: true }],
        },
      },
    });
    expect(event?.detail.state.reason).toBe(
      "Threshold Crossed: 2 out of the last 2 datapoints [10 (01/01/26 00:01:00), 10 (01/01/26 00:00:00)] were greater than the threshold (5.0) (minimum 2 datapoints for INSUFFICIENT_DATA -> ALARM transition).",
    );
    expect(JSON.parse(event?.detail.state.reasonData ?? "{}")).toMatchObject({ statistic: "Average", period: 60, threshold: 5, recentDatapoints: [10, 10] });
  });

  it("returns to OK when the data recovers, and to INSUFFICIENT_DATA when it stops (missing)", () => {
    const world = quietWorld();
    world.cloudwatch.putMetricAlarm(alarmInput());
    feed(world, 120, 10);
    feed(world, 60, 1);
    expect(world.cloudwatch.alarm("ebb-rollback")?.StateValue).toBe("OK");
    feed(world, 600, undefined);
    expect(world.cloudwatch.alarm("ebb-rollback")?.StateValue).toBe("INSUFFICIENT_DATA");
    expect(stateChanges(world).map((event) => [event.detail.previousState.value, event.detail.state.value])).toEqual([
      ["INSUFFICIENT_DATA", "ALARM"],
      ["ALARM", "OK"],
      ["OK", "INSUFFICIENT_DATA"],
    ]);
  });

  it("treats missing data as breaching or not, or keeps the state when told to ignore it", () => {
    const breaching = quietWorld();
    breaching.cloudwatch.putMetricAlarm(alarmInput({ TreatMissingData: "breaching" }));
    feed(breaching, 180, undefined);
    expect(breaching.cloudwatch.alarm("ebb-rollback")?.StateValue).toBe("ALARM");
    const ignoring = quietWorld();
    ignoring.cloudwatch.putMetricAlarm(alarmInput({ TreatMissingData: "ignore" }));
    feed(ignoring, 120, 10);
    feed(ignoring, 900, undefined);
    expect(ignoring.cloudwatch.alarm("ebb-rollback")?.StateValue).toBe("ALARM");
    expect(stateChanges(ignoring)).toHaveLength(1);
  });

  it("ignores missing data on AWS/DynamoDB metrics whatever TreatMissingData says (PutMetricAlarm, TreatMissingData)", () => {
    // https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html: "Alarms that evaluate
    // metrics in the AWS/DynamoDB namespace always ignore missing data even if you choose a different option".
    const world = quietWorld();
    world.cloudwatch.putMetricAlarm(alarmInput({ Namespace: "AWS/DynamoDB", MetricName: "ThrottledRequests", TreatMissingData: "breaching" }));
    world.cloudwatch.putMetricAlarm(alarmInput({ AlarmName: "elsewhere", TreatMissingData: "breaching" }));
    world.advance(600);
    expect(world.cloudwatch.alarm("ebb-rollback")).toMatchObject({ StateValue: "INSUFFICIENT_DATA", TreatMissingData: "breaching" });
    expect(world.cloudwatch.alarm("elsewhere")?.StateValue).toBe("ALARM");
  });

  it("SetAlarmState forces a state and emits the event; the next evaluation may change it back", () => {
    const world = quietWorld();
    world.cloudwatch.putMetricAlarm(alarmInput());
    feed(world, 120, 1);
    expect(world.cloudwatch.alarm("ebb-rollback")?.StateValue).toBe("OK");
    world.cloudwatch.setAlarmState("ebb-rollback", "ALARM", "testing the rollback path");
    expect(world.cloudwatch.alarm("ebb-rollback")).toMatchObject({ StateValue: "ALARM", StateReason: "testing the rollback path" });
    feed(world, 60, 1);
    expect(stateChanges(world).map((event) => event.detail.state.value)).toEqual(["OK", "ALARM", "OK"]);
    expect(() => world.cloudwatch.setAlarmState("nope", "OK", "x")).toThrow(expect.objectContaining({ code: "ResourceNotFound", message: "Alarm nope not found" }));
    expect(() => world.cloudwatch.setAlarmState("ebb-rollback", "OK", "x", "{not json")).toThrow(expect.objectContaining({ code: "InvalidFormat" }));
  });

  it("keeps the state when an alarm is updated, and deletes only when every name exists", () => {
    const world = quietWorld();
    world.cloudwatch.putMetricAlarm(alarmInput());
    world.cloudwatch.setAlarmState("ebb-rollback", "ALARM", "forced");
    world.cloudwatch.putMetricAlarm(alarmInput({ Threshold: 50 }));
    expect(world.cloudwatch.alarm("ebb-rollback")).toMatchObject({ StateValue: "ALARM", Threshold: 50 });
    expect(() => world.cloudwatch.deleteAlarms(["ebb-rollback", "ghost"])).toThrow(expect.objectContaining({ code: "ResourceNotFound" }));
    expect(world.cloudwatch.alarm("ebb-rollback")).toBeDefined();
    world.cloudwatch.deleteAlarms(["ebb-rollback"]);
    expect(world.cloudwatch.alarm("ebb-rollback")).toBeUndefined();
  });

  it("DescribeAlarms filters by names, prefix and state and pages with NextToken", () => {
    const world = quietWorld();
    for (const name of ["b-alarm", "a-alarm", "c-other"]) world.cloudwatch.putMetricAlarm(alarmInput({ AlarmName: name }));
    world.cloudwatch.setAlarmState("c-other", "OK", "fine");
    const names = (result: { MetricAlarms: Array<{ AlarmName: string }> }) => result.MetricAlarms.map((alarm) => alarm.AlarmName);
    expect(names(world.cloudwatch.describeAlarms())).toEqual(["a-alarm", "b-alarm", "c-other"]);
    expect(names(world.cloudwatch.describeAlarms({ AlarmNamePrefix: "c-" }))).toEqual(["c-other"]);
    expect(names(world.cloudwatch.describeAlarms({ AlarmNames: ["b-alarm", "zzz"] }))).toEqual(["b-alarm"]);
    expect(names(world.cloudwatch.describeAlarms({ StateValue: "INSUFFICIENT_DATA" }))).toEqual(["a-alarm", "b-alarm"]);
    const first = world.cloudwatch.describeAlarms({ MaxRecords: 2 });
    expect(names(first)).toEqual(["a-alarm", "b-alarm"]);
    expect(names(world.cloudwatch.describeAlarms({ MaxRecords: 2, NextToken: first.NextToken }))).toEqual(["c-other"]);
    expect(() => world.cloudwatch.describeAlarms({ AlarmNames: ["a"], AlarmNamePrefix: "a" })).toThrow(expect.objectContaining({ code: "InvalidParameterCombination" }));
  });

  it("validates PutMetricAlarm like CloudWatch", () => {
    const world = quietWorld();
    const put = (overrides: Partial<MetricAlarmInput>) => () => world.cloudwatch.putMetricAlarm(alarmInput(overrides));
    expect(put({ Period: 45 })).toThrow(/Period must be 10, 30 or a multiple of 60/);
    expect(put({ DatapointsToAlarm: 3 })).toThrow(/DatapointsToAlarm/);
    expect(put({ Period: 60, EvaluationPeriods: 1441 })).toThrow(/must not exceed 86400/);
    expect(put({ ExtendedStatistic: "p99" })).toThrow(expect.objectContaining({ code: "InvalidParameterCombination" }));
    expect(put({ AlarmActions: ["not-an-arn"] })).toThrow(/Invalid arn/);
    expect(world.cloudwatch.describeAlarms().MetricAlarms).toEqual([]);
  });
});
