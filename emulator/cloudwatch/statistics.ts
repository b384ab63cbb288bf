import type { BasicStatistic, Datapoint, Statistic } from "./types.ts";
import { BASIC_STATISTICS } from "./types.ts";

const PERCENTILE = /^p(\d{1,2}(\.\d{1,10})?|100)$/;

export const isBasicStatistic = (statistic: string): statistic is BasicStatistic =>
  (BASIC_STATISTICS as readonly string[]).includes(statistic);

/** The percentile rank of `pNN` / `pNN.NN`, or undefined when the name is not a percentile. */
export const percentileRank = (statistic: string): number | undefined => {
  if (!PERCENTILE.test(statistic)) return undefined;
  return Number(statistic.slice(1));
};

export const isSupportedStatistic = (statistic: string): statistic is Statistic =>
  isBasicStatistic(statistic) || percentileRank(statistic) !== undefined;

/** The value of one statistic for one period, or undefined when it cannot be known (a percentile over statistic sets). */
export const statisticValue = (datapoint: Datapoint, statistic: Statistic): number | undefined => {
  switch (statistic) {
    case "SampleCount":
      return datapoint.sampleCount;
    case "Sum":
      return datapoint.sum;
    case "Minimum":
      return datapoint.minimum;
    case "Maximum":
      return datapoint.maximum;
    case "Average":
      return datapoint.sampleCount === 0 ? undefined : datapoint.sum / datapoint.sampleCount;
    default: {
      const rank = percentileRank(statistic);
      if (rank === undefined || datapoint.values === undefined) return undefined;
      return weightedPercentile(datapoint.values, rank);
    }
  }
};

/** Nearest-rank percentile over weighted values. */
const weightedPercentile = (values: Datapoint["values"] & object, rank: number): number | undefined => {
  const sorted = [...values].sort((left, right) => left.value - right.value);
  const total = sorted.reduce((sum, entry) => sum + entry.weight, 0);
  if (total <= 0) return undefined;
  const target = (rank / 100) * total;
  let cumulative = 0;
  for (const entry of sorted) {
    cumulative += entry.weight;
    if (cumulative >= target) return entry.value;
  }
  return sorted[sorted.length - 1]?.value;
};

/** Periods CloudWatch accepts: high-resolution 1, 5, 10, 20, 30 s or any multiple of 60 s. */
export const isValidPeriod = (periodSeconds: number): boolean =>
  Number.isInteger(periodSeconds) && ([1, 5, 10, 20, 30].includes(periodSeconds) || (periodSeconds >= 60 && periodSeconds % 60 === 0));

/**
 * Where the first period starts, as CloudWatch rounds StartTime: down to a multiple of a
 * sub-minute period, otherwise down to the whole minute.
 */
export const alignedStartMs = (startMs: number, periodSeconds: number): number => {
  const unitMs = periodSeconds < 60 ? periodSeconds * 1000 : 60_000;
  return Math.floor(startMs / unitMs) * unitMs;
};
