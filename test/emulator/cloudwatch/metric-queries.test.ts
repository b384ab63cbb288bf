import { describe, expect, it } from "vitest";
import { MetricStore } from "../../../emulator/cloudwatch/metric-store.ts";
import { getMetricData, getMetricStatistics } from "../../../emulator/cloudwatch/queries.ts";
import type { MetricIdentity } from "../../../emulator/cloudwatch/types.ts";
import { AwsApiError } from "../../../emulator/protocol/errors.ts";
import { START_MS, at } from "../../support/world.ts";

const metric: MetricIdentity = { Namespace: "Ebb/Test", MetricName: "Connections", Dimensions: [{ Name: "InstanceId", Value: "i-1" }] };

/** Puts one high-resolution value per entry at START + seconds. */
const storeWith = (points: Array<[seconds: number, value: number]>, identity = metric): MetricStore => {
  const store = new MetricStore();
  for (const [seconds, value] of points) {
    store.put(identity.Namespace, { MetricName: identity.MetricName, Dimensions: identity.Dimensions, Timestamp: at(seconds), Value: value, StorageResolution: 1, Unit: "Count" }, START_MS + seconds * 1000);
  }
  return store;
};

const statistics = (store: MetricStore, period: number, start = 0, end = 600) =>
  getMetricStatistics(store, { Metric: metric, StartTime: at(start), EndTime: at(end), Period: period, Statistics: ["SampleCount", "Sum", "Average", "Minimum", "Maximum"] });

describe("GetMetricStatistics", () => {
  it("buckets samples into periods from the aligned start and computes every basic statistic", () => {
    const store = storeWith([[0, 1], [10, 3], [50, 8], [60, 2], [119, 4], [120, 100]]);
    const result = statistics(store, 60, 0, 120);
    expect(result.Label).toBe("Connections");
    expect(result.Datapoints).toEqual([
      { Timestamp: at(0), Unit: "Count", SampleCount: 3, Sum: 12, Average: 4, Minimum: 1, Maximum: 8 },
      { Timestamp: at(60), Unit: "Count", SampleCount: 2, Sum: 6, Average: 3, Minimum: 2, Maximum: 4 },
    ]);
  });

  it("leaves out periods without data and excludes EndTime", () => {
    const store = storeWith([[5, 1], [125, 2], [180, 9]]);
    const timestamps = statistics(store, 60, 0, 180).Datapoints.map((point) => point["Timestamp"]);
    expect(timestamps).toEqual([at(0), at(120)]);
  });

  it("rounds StartTime down to the period for sub-minute periods and to the minute otherwise", () => {
    const store = storeWith([[12, 5], [75, 7]]);
    expect(statistics(store, 10, 17, 60).Datapoints.map((point) => point["Timestamp"])).toEqual([at(10)]);
    expect(statistics(store, 120, 65, 300).Datapoints.map((point) => point["Timestamp"])).toEqual([at(60)]);
  });

  it("keeps standard-resolution data per minute", () => {
    const store = new MetricStore();
    store.put("Ebb/Test", { MetricName: "Connections", Dimensions: metric.Dimensions, Timestamp: at(35), Value: 4 }, START_MS);
    const result = getMetricStatistics(store, { Metric: metric, StartTime: at(0), EndTime: at(60), Period: 10, Statistics: ["Sum"] });
    expect(result.Datapoints).toEqual([{ Timestamp: at(0), Unit: "None", Sum: 4 }]);
  });

  it("matches the exact dimension set only, in any order", () => {
    const two: MetricIdentity = { ...metric, Dimensions: [{ Name: "InstanceId", Value: "i-1" }, { Name: "AutoScalingGroupName", Value: "asg" }] };
    const store = storeWith([[0, 1]], two);
    expect(statistics(store, 60).Datapoints).toEqual([]);
    const reordered = { ...two, Dimensions: [...two.Dimensions].reverse() };
    expect(getMetricStatistics(store, { Metric: reordered, StartTime: at(0), EndTime: at(60), Period: 60, Statistics: ["Sum"] }).Datapoints).toHaveLength(1);
  });

  it("aggregates Values/Counts and StatisticValues like single values", () => {
    const store = new MetricStore();
    const base = { MetricName: "Connections", Dimensions: metric.Dimensions, Timestamp: at(0), StorageResolution: 1 as const };
    store.put("Ebb/Test", { ...base, Values: [1, 5], Counts: [3, 1] }, START_MS);
    store.put("Ebb/Test", { ...base, StatisticValues: { SampleCount: 4, Sum: 20, Minimum: 0, Maximum: 9 } }, START_MS);
    expect(statistics(store, 60, 0, 60).Datapoints[0]).toMatchObject({ SampleCount: 8, Sum: 28, Average: 3.5, Minimum: 0, Maximum: 9 });
  });

  it("computes percentiles from raw values and leaves them out where statistic sets hide the distribution", () => {
    const store = storeWith(Array.from({ length: 100 }, (_, index) => [index % 60, index + 1] as [number, number]));
    const result = getMetricStatistics(store, { Metric: metric, StartTime: at(0), EndTime: at(60), Period: 60, ExtendedStatistics: ["p50", "p99", "p99.9"] });
    expect(result.Datapoints[0]?.["ExtendedStatistics"]).toEqual({ p50: 50, p99: 99, "p99.9": 100 });
    store.put("Ebb/Test", { MetricName: "Connections", Dimensions: metric.Dimensions, Timestamp: at(1), StatisticValues: { SampleCount: 1, Sum: 1, Minimum: 1, Maximum: 1 } }, START_MS);
    const hidden = getMetricStatistics(store, { Metric: metric, StartTime: at(0), EndTime: at(60), Period: 60, ExtendedStatistics: ["p50"] });
    expect(hidden.Datapoints[0]?.["ExtendedStatistics"]).toEqual({});
  });

  it("filters by Unit", () => {
    const store = storeWith([[0, 1]]);
    store.put("Ebb/Test", { MetricName: "Connections", Dimensions: metric.Dimensions, Timestamp: at(1), Value: 50, Unit: "Percent", StorageResolution: 1 }, START_MS);
    const counts = getMetricStatistics(store, { Metric: metric, StartTime: at(0), EndTime: at(60), Period: 60, Statistics: ["Sum"], Unit: "Count" });
    expect(counts.Datapoints).toEqual([{ Timestamp: at(0), Unit: "Count", Sum: 1 }]);
  });

  it("rejects what AWS rejects", () => {
    const store = storeWith([]);
    const call = (overrides: Record<string, unknown>) => () =>
      getMetricStatistics(store, { Metric: metric, StartTime: at(0), EndTime: at(600), Period: 60, Statistics: ["Sum"], ...overrides });
    expect(call({ Statistics: undefined })).toThrow(expect.objectContaining({ code: "InvalidParameterCombination" }));
    expect(call({ ExtendedStatistics: ["p90"] })).toThrow(/mutually exclusive/);
    expect(call({ Period: 45 })).toThrow(expect.objectContaining({ code: "InvalidParameterValue" }));
    expect(call({ StartTime: at(600) })).toThrow(/StartTime must be less than/);
    expect(call({ Period: 1, EndTime: at(1441) })).toThrow(/1,441 datapoints, which exceeds the limit of 1,440/);
    expect(call({ Statistics: ["Median"] })).toThrow(AwsApiError);
  });
});

describe("GetMetricData", () => {
  const query = (overrides: Record<string, unknown> = {}) => ({
    Id: "m1",
    MetricStat: { Metric: metric, Period: 60, Stat: "Sum" },
    ...overrides,
  });

  it("returns newest first by default, oldest first with TimestampAscending", () => {
    const store = storeWith([[0, 1], [60, 2], [120, 3]]);
    const descending = getMetricData(store, { MetricDataQueries: [query()], StartTime: at(0), EndTime: at(180) });
    expect(descending.MetricDataResults).toEqual([
      { Id: "m1", Label: "Connections", Timestamps: [at(120), at(60), at(0)], Values: [3, 2, 1], StatusCode: "Complete", Messages: [] },
    ]);
    expect(descending.NextToken).toBeUndefined();
    const ascending = getMetricData(store, { MetricDataQueries: [query({ Label: "conns" })], StartTime: at(0), EndTime: at(180), ScanBy: "TimestampAscending" });
    expect(ascending.MetricDataResults[0]).toMatchObject({ Label: "conns", Values: [1, 2, 3] });
  });

  it("returns only queries with ReturnData and answers a missing metric with an empty, complete result", () => {
    const store = storeWith([[0, 1]]);
    const missing = { ...metric, MetricName: "Nothing" };
    const result = getMetricData(store, {
      MetricDataQueries: [query({ ReturnData: false }), query({ Id: "m2", MetricStat: { Metric: missing, Period: 60, Stat: "Average" } })],
      StartTime: at(0),
      EndTime: at(60),
    });
    expect(result.MetricDataResults).toEqual([{ Id: "m2", Label: "Nothing", Timestamps: [], Values: [], StatusCode: "Complete", Messages: [] }]);
  });

  it("pages by MaxDatapoints across queries with NextToken and marks truncated results PartialData", () => {
    const store = storeWith(Array.from({ length: 5 }, (_, index) => [index * 60, index] as [number, number]));
    const input = { MetricDataQueries: [query(), query({ Id: "m2", MetricStat: { Metric: metric, Period: 60, Stat: "Maximum" } })], StartTime: at(0), EndTime: at(300), MaxDatapoints: 4 };
    const first = getMetricData(store, input);
    expect(first.MetricDataResults.map((result) => [result.Values, result.StatusCode])).toEqual([[[4, 3, 2, 1], "PartialData"], [[], "PartialData"]]);
    const second = getMetricData(store, { ...input, NextToken: first.NextToken });
    expect(second.MetricDataResults.map((result) => [result.Values, result.StatusCode])).toEqual([[[0], "Complete"], [[4, 3, 2], "PartialData"]]);
    const third = getMetricData(store, { ...input, NextToken: second.NextToken });
    expect(third.MetricDataResults[1]?.Values).toEqual([1, 0]);
    expect(third.NextToken).toBeUndefined();
    expect(() => getMetricData(store, { ...input, NextToken: "garbage" })).toThrow(expect.objectContaining({ code: "InvalidNextToken" }));
  });

  it("rejects bad ids, duplicate ids, math expressions and bad periods with AWS codes", () => {
    const store = storeWith([]);
    const run = (queries: unknown[]) => () => getMetricData(store, { MetricDataQueries: queries as never, StartTime: at(0), EndTime: at(60) });
    expect(run([query({ Id: "M1" })])).toThrow(expect.objectContaining({ code: "InvalidParameterValue" }));
    expect(run([query(), query()])).toThrow(/not unique/);
    expect(run([{ Id: "e1", Expression: "SUM(METRICS())" }])).toThrow(/not supported by the emulator/);
    expect(run([query({ MetricStat: { Metric: metric, Period: 7, Stat: "Sum" } })])).toThrow(/Period/);
    expect(run([query({ ReturnData: false })])).toThrow(/ReturnData/);
    expect(run([])).toThrow(expect.objectContaining({ code: "InvalidParameterValue" }));
  });
});

describe("retention", () => {
  it("rolls data older than three hours into per-minute aggregates without changing minute statistics", () => {
    const points = Array.from({ length: 720 }, (_, index) => [index * 10, index % 7] as [number, number]);
    const store = storeWith(points);
    const before = getMetricStatistics(store, { Metric: metric, StartTime: at(0), EndTime: at(7200), Period: 60, Statistics: ["Sum", "SampleCount", "Minimum", "Maximum"] });
    store.compact(START_MS + 5 * 3600_000);
    const after = getMetricStatistics(store, { Metric: metric, StartTime: at(0), EndTime: at(7200), Period: 60, Statistics: ["Sum", "SampleCount", "Minimum", "Maximum"] });
    expect(after).toEqual(before);
    expect(store.sampleCount).toBe(120);
    store.compact(START_MS + 16 * 86_400_000);
    expect(store.sampleCount).toBe(0);
  });
});
