import { GetMetricDataCommand, type CloudWatchClient, type MetricDataQuery } from "@aws-sdk/client-cloudwatch";
import type { StageConfig } from "./stage.ts";

/** One published value of an instance's connection gauge. */
export interface Datapoint {
  timestamp: Date;
  value: number;
}

const QUERIES_PER_CALL = 500;

/**
 * Every datapoint of each instance's connection gauge between start and end, oldest first. The
 * gauge is high resolution, so a 1-second period returns each datapoint at its own timestamp
 * (a longer period would stamp it with the start of its bucket, before the real time).
 */
export async function connectionDatapoints(
  cloudWatch: CloudWatchClient,
  metric: StageConfig["connectionMetric"],
  instanceIds: readonly string[],
  start: Date,
  end: Date,
): Promise<Map<string, Datapoint[]>> {
  const series = new Map<string, Datapoint[]>(instanceIds.map((id) => [id, []]));
  for (let offset = 0; offset < instanceIds.length; offset += QUERIES_PER_CALL) {
    const chunk = instanceIds.slice(offset, offset + QUERIES_PER_CALL);
    const queries: MetricDataQuery[] = chunk.map((instanceId, index) => ({
      Id: `c${index}`,
      ReturnData: true,
      MetricStat: {
        Metric: { Namespace: metric.namespace, MetricName: metric.metricName, Dimensions: [{ Name: metric.dimensionName, Value: instanceId }] },
        Period: 1,
        Stat: "Maximum",
      },
    }));
    let nextToken: string | undefined;
    do {
      const response = await cloudWatch.send(
        new GetMetricDataCommand({ MetricDataQueries: queries, StartTime: start, EndTime: end, ScanBy: "TimestampAscending", NextToken: nextToken }),
      );
      for (const result of response.MetricDataResults ?? []) {
        const instanceId = chunk[Number((result.Id ?? "").slice(1))];
        const points = instanceId === undefined ? undefined : series.get(instanceId);
        if (points === undefined) continue;
        (result.Timestamps ?? []).forEach((timestamp, index) => {
          const value = result.Values?.[index];
          if (value !== undefined) points.push({ timestamp, value });
        });
      }
      nextToken = response.NextToken;
    } while (nextToken !== undefined);
  }
  for (const points of series.values()) points.sort((a, b) => a.timestamp.getTime() - b.timestamp.getTime());
  return series;
}

/**
 * Only datapoints strictly newer than `since` say anything about a drain that started then: older
 * ones (and one stamped the same instant) reflect the load before deregistration.
 */
export const datapointsAfter = (points: readonly Datapoint[], since: Date): Datapoint[] =>
  points.filter((point) => point.timestamp.getTime() > since.getTime());

/**
 * CloudWatch serves a datapoint only some time after PutMetricData (about a minute is commonly
 * seen), so the newest readable one can be older than that: look back well past it.
 */
const LOOKBACK_SECONDS = 300;

/** The latest value per instance within the lookback window (for planning and predictions). */
export async function latestConnections(
  cloudWatch: CloudWatchClient,
  metric: StageConfig["connectionMetric"],
  instanceIds: readonly string[],
  now: Date,
): Promise<Record<string, number>> {
  const lookbackMs = Math.max(LOOKBACK_SECONDS, metric.periodSeconds * 3) * 1000;
  const series = await connectionDatapoints(cloudWatch, metric, instanceIds, new Date(now.getTime() - lookbackMs), now);
  const latest: Record<string, number> = {};
  for (const [instanceId, points] of series) {
    const last = points.at(-1);
    if (last !== undefined) latest[instanceId] = last.value;
  }
  return latest;
}

/**
 * Each instance's newest value no older than the metric's maxAgeSeconds at `now`. An instance
 * that published nothing that recent is absent from the map: its load is unknown, never zero (a
 * silent instance may be full; only the app can say it is empty).
 */
export async function freshConnections(
  cloudWatch: CloudWatchClient,
  metric: StageConfig["connectionMetric"],
  instanceIds: readonly string[],
  now: Date,
): Promise<Map<string, number>> {
  const series = await connectionDatapoints(cloudWatch, metric, instanceIds, new Date(now.getTime() - metric.maxAgeSeconds * 1000), now);
  const fresh = new Map<string, number>();
  for (const [instanceId, points] of series) {
    const last = points.at(-1);
    if (last !== undefined) fresh.set(instanceId, last.value);
  }
  return fresh;
}
