import { paginate } from "../protocol/pagination.ts";
import { invalidNextToken, invalidParameterCombination, invalidParameterValue } from "./errors.ts";
import type { MetricStore } from "./metric-store.ts";
import { alignedStartMs, isBasicStatistic, isSupportedStatistic, isValidPeriod, statisticValue } from "./statistics.ts";
import type { Datapoint, MetricIdentity, StandardUnit, Statistic } from "./types.ts";

export interface MetricStatQuery {
  readonly Metric: MetricIdentity;
  readonly Period: number;
  readonly Stat: string;
  readonly Unit?: StandardUnit | undefined;
}

export interface MetricDataQuery {
  readonly Id: string;
  readonly MetricStat?: MetricStatQuery | undefined;
  readonly Expression?: string | undefined;
  readonly Label?: string | undefined;
  readonly ReturnData?: boolean | undefined;
}

export interface GetMetricDataInput {
  readonly MetricDataQueries: readonly MetricDataQuery[];
  readonly StartTime: Date;
  readonly EndTime: Date;
  readonly ScanBy?: "TimestampDescending" | "TimestampAscending" | undefined;
  readonly MaxDatapoints?: number | undefined;
  readonly NextToken?: string | undefined;
}

export interface MetricDataResult {
  Id: string;
  Label: string;
  Timestamps: Date[];
  Values: number[];
  StatusCode: "Complete" | "PartialData";
  Messages: never[];
}

export interface GetMetricStatisticsInput {
  readonly Metric: MetricIdentity;
  readonly StartTime: Date;
  readonly EndTime: Date;
  readonly Period: number;
  readonly Statistics?: readonly string[] | undefined;
  readonly ExtendedStatistics?: readonly string[] | undefined;
  readonly Unit?: StandardUnit | undefined;
}

const QUERY_ID = /^[a-z][a-zA-Z0-9_]*$/;
const MAX_DATAPOINTS = 100_800;
const MAX_STATISTICS_DATAPOINTS = 1440;

const checkTimeRange = (start: Date, end: Date): void => {
  if (!(start.getTime() < end.getTime())) throw invalidParameterValue("The parameter StartTime must be less than the parameter EndTime.");
};

const checkPeriod = (period: number, parameter: string): void => {
  if (!isValidPeriod(period)) {
    throw invalidParameterValue(`The parameter ${parameter} must be 1, 5, 10, 20, 30, 60, or any multiple of 60 (got ${period}).`);
  }
};

/** One MetricStat's values per period in ascending time. */
const statSeries = (store: MetricStore, stat: MetricStatQuery, startMs: number, endMs: number): Array<{ timestampMs: number; value: number }> => {
  const series = store.find(stat.Metric);
  if (!series) return [];
  const statistic = stat.Stat as Statistic;
  const datapoints = series.aggregate({
    startMs: alignedStartMs(startMs, stat.Period),
    endMs,
    periodMs: stat.Period * 1000,
    unit: stat.Unit,
    withValues: !isBasicStatistic(statistic),
  });
  const points: Array<{ timestampMs: number; value: number }> = [];
  for (const datapoint of datapoints) {
    const value = statisticValue(datapoint, statistic);
    if (value !== undefined) points.push({ timestampMs: datapoint.timestampMs, value });
  }
  return points;
};

const validateQueries = (queries: readonly MetricDataQuery[]): void => {
  if (queries.length === 0 || queries.length > 500) {
    throw invalidParameterValue("The collection MetricDataQueries must not be empty and must not have more than 500 elements.");
  }
  const seen = new Set<string>();
  for (const query of queries) {
    if (!QUERY_ID.test(query.Id)) {
      throw invalidParameterValue(`Invalid metric data query id "${query.Id}": it must start with a lowercase letter and contain only letters, digits and underscores.`);
    }
    if (seen.has(query.Id)) throw invalidParameterValue(`The value ${query.Id} for field Id is not unique.`);
    seen.add(query.Id);
    if ((query.MetricStat === undefined) === (query.Expression === undefined)) {
      throw invalidParameterCombination(`Exactly one of MetricStat and Expression must be specified for query ${query.Id}.`);
    }
    if (query.Expression !== undefined) {
      throw invalidParameterValue(`Metric math expressions are not supported by the emulator (query ${query.Id}: ${query.Expression}).`);
    }
    if (query.MetricStat) {
      checkPeriod(query.MetricStat.Period, `MetricDataQueries.member.${query.Id}.MetricStat.Period`);
      if (!isSupportedStatistic(query.MetricStat.Stat)) {
        throw invalidParameterValue(`The statistic ${query.MetricStat.Stat} of query ${query.Id} is not supported by the emulator (use SampleCount, Average, Sum, Minimum, Maximum or pNN.NN).`);
      }
    }
  }
  if (!queries.some((query) => query.ReturnData !== false)) {
    throw invalidParameterValue("At least one MetricDataQuery must have ReturnData set to true.");
  }
};

export const getMetricData = (store: MetricStore, input: GetMetricDataInput): { MetricDataResults: MetricDataResult[]; NextToken?: string; Messages: never[] } => {
  validateQueries(input.MetricDataQueries);
  checkTimeRange(input.StartTime, input.EndTime);
  const maxDatapoints = input.MaxDatapoints ?? MAX_DATAPOINTS;
  if (!(Number.isInteger(maxDatapoints) && maxDatapoints >= 1)) throw invalidParameterValue("The parameter MaxDatapoints must be a positive integer.");
  const descending = (input.ScanBy ?? "TimestampDescending") === "TimestampDescending";
  const returned = input.MetricDataQueries.filter((query) => query.ReturnData !== false && query.MetricStat !== undefined);
  // All returned datapoints in one sequence (query order, then ScanBy order), paged by MaxDatapoints.
  const sequence: Array<{ query: number; timestampMs: number; value: number }> = [];
  const totals = returned.map((query, index) => {
    const points = statSeries(store, query.MetricStat as MetricStatQuery, input.StartTime.getTime(), input.EndTime.getTime());
    if (descending) points.reverse();
    for (const point of points) sequence.push({ query: index, ...point });
    return points.length;
  });
  const { page, nextToken } = paginate(sequence, { maxResults: maxDatapoints, nextToken: input.NextToken, growsAt: "end", invalidToken: invalidNextToken });
  const results = returned.map((query, index): MetricDataResult => {
    const mine = page.filter((point) => point.query === index);
    const lastOfQuery = sequence.findLastIndex((point) => point.query === index);
    const pageEnd = page.length === 0 ? -1 : sequence.indexOf(page[page.length - 1] as (typeof sequence)[number]);
    return {
      Id: query.Id,
      Label: query.Label ?? (query.MetricStat as MetricStatQuery).Metric.MetricName,
      Timestamps: mine.map((point) => new Date(point.timestampMs)),
      Values: mine.map((point) => point.value),
      StatusCode: (totals[index] ?? 0) > 0 && lastOfQuery > pageEnd ? "PartialData" : "Complete",
      Messages: [],
    };
  });
  return nextToken === undefined ? { MetricDataResults: results, Messages: [] } : { MetricDataResults: results, NextToken: nextToken, Messages: [] };
};

const datapointFields = (datapoint: Datapoint, statistics: readonly string[], extended: readonly string[]): Record<string, unknown> => {
  const fields: Record<string, unknown> = { Timestamp: new Date(datapoint.timestampMs), Unit: datapoint.unit };
  for (const statistic of statistics) fields[statistic] = statisticValue(datapoint, statistic as Statistic);
  if (extended.length > 0) {
    const values: Record<string, number> = {};
    for (const statistic of extended) {
      const value = statisticValue(datapoint, statistic as Statistic);
      if (value !== undefined) values[statistic] = value;
    }
    fields["ExtendedStatistics"] = values;
  }
  return fields;
};

export const getMetricStatistics = (store: MetricStore, input: GetMetricStatisticsInput): { Label: string; Datapoints: Record<string, unknown>[] } => {
  const statistics = input.Statistics ?? [];
  const extended = input.ExtendedStatistics ?? [];
  if (statistics.length === 0 && extended.length === 0) {
    throw invalidParameterCombination("Must specify either Statistics or ExtendedStatistics.");
  }
  if (statistics.length > 0 && extended.length > 0) {
    throw invalidParameterCombination("The parameters Statistics and ExtendedStatistics are mutually exclusive.");
  }
  if (statistics.length > 5 || extended.length > 10) throw invalidParameterValue("At most 5 Statistics or 10 ExtendedStatistics can be requested.");
  for (const statistic of statistics) {
    if (!isBasicStatistic(statistic)) throw invalidParameterValue(`The value ${statistic} for parameter Statistics is not a valid statistic.`);
  }
  for (const statistic of extended) {
    if (isBasicStatistic(statistic) || !isSupportedStatistic(statistic)) {
      throw invalidParameterValue(`The value ${statistic} for parameter ExtendedStatistics is not supported by the emulator (use pNN.NN).`);
    }
  }
  checkPeriod(input.Period, "Period");
  checkTimeRange(input.StartTime, input.EndTime);
  const startMs = alignedStartMs(input.StartTime.getTime(), input.Period);
  const requested = Math.ceil((input.EndTime.getTime() - startMs) / (input.Period * 1000));
  if (requested > MAX_STATISTICS_DATAPOINTS) {
    throw invalidParameterCombination(
      `You have requested up to ${requested.toLocaleString("en-US")} datapoints, which exceeds the limit of 1,440. You may reduce the datapoints requested by increasing Period, or decreasing the time range.`,
    );
  }
  const series = store.find(input.Metric);
  const datapoints = series
    ? series.aggregate({ startMs, endMs: input.EndTime.getTime(), periodMs: input.Period * 1000, unit: input.Unit, withValues: extended.length > 0 })
    : [];
  return { Label: input.Metric.MetricName, Datapoints: datapoints.map((datapoint) => datapointFields(datapoint, statistics, extended)) };
};
