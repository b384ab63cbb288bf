/** CloudWatch's data model, as the emulator stores and queries it. */

export const STANDARD_UNITS = [
  "None",
  "Seconds",
  "Microseconds",
  "Milliseconds",
  "Bytes",
  "Kilobytes",
  "Megabytes",
  "Gigabytes",
  "Terabytes",
  "Bits",
  "Kilobits",
  "Megabits",
  "Gigabits",
  "Terabits",
  "Percent",
  "Count",
  "Bytes/Second",
  "Kilobytes/Second",
  "Megabytes/Second",
  "Gigabytes/Second",
  "Terabytes/Second",
  "Bits/Second",
  "Kilobits/Second",
  "Megabits/Second",
  "Gigabits/Second",
  "Terabits/Second",
  "Count/Second",
] as const;

export type StandardUnit = (typeof STANDARD_UNITS)[number];

export interface Dimension {
  readonly Name: string;
  readonly Value: string;
}

export interface StatisticSet {
  readonly SampleCount: number;
  readonly Sum: number;
  readonly Minimum: number;
  readonly Maximum: number;
}

/** One PutMetricData entry: exactly one of Value, Values (+Counts) or StatisticValues. */
export interface MetricDatum {
  readonly MetricName: string;
  readonly Dimensions?: readonly Dimension[];
  /** Defaults to the time of the call. */
  readonly Timestamp?: Date;
  readonly Value?: number;
  readonly Values?: readonly number[];
  readonly Counts?: readonly number[];
  readonly StatisticValues?: StatisticSet;
  readonly Unit?: StandardUnit;
  /** 1 = high resolution (kept per second), 60 (default) = kept per minute. */
  readonly StorageResolution?: 1 | 60;
}

/** Names a series: a metric is its namespace, name and exact set of dimensions. */
export interface MetricIdentity {
  readonly Namespace: string;
  readonly MetricName: string;
  readonly Dimensions: readonly Dimension[];
}

export type BasicStatistic = "SampleCount" | "Average" | "Sum" | "Minimum" | "Maximum";
export const BASIC_STATISTICS: readonly BasicStatistic[] = ["SampleCount", "Average", "Sum", "Minimum", "Maximum"];

/** A statistic the emulator computes: a basic one or a percentile such as p99 or p99.9. */
export type Statistic = BasicStatistic | `p${string}`;

/** One aggregated period of one series. */
export interface Datapoint {
  readonly timestampMs: number;
  readonly sampleCount: number;
  readonly sum: number;
  readonly minimum: number;
  readonly maximum: number;
  readonly unit: StandardUnit;
  /** Weighted raw values, or undefined when a statistic set made percentiles unknowable. */
  readonly values: readonly WeightedValue[] | undefined;
}

export interface WeightedValue {
  readonly value: number;
  readonly weight: number;
}

export type AlarmStateValue = "OK" | "ALARM" | "INSUFFICIENT_DATA";

export type ComparisonOperator =
  | "GreaterThanOrEqualToThreshold"
  | "GreaterThanThreshold"
  | "LessThanThreshold"
  | "LessThanOrEqualToThreshold";

export type TreatMissingData = "breaching" | "notBreaching" | "ignore" | "missing";
