import { z } from "zod";
import { STANDARD_UNITS } from "../types.ts";
import { boolean, integer, list, number, timestamp } from "../../protocol/coerce.ts";

/** The request shapes of the CloudWatch actions the emulator serves, in both wire forms. */

const unit = z.enum(STANDARD_UNITS);
const stateValue = z.enum(["OK", "ALARM", "INSUFFICIENT_DATA"]);
const alarmTypes = list(z.enum(["MetricAlarm", "CompositeAlarm"]));

const dimension = z.strictObject({ Name: z.string().min(1).max(255), Value: z.string().min(1).max(1024) });

const dimensionFilter = z.strictObject({ Name: z.string().min(1).max(255), Value: z.string().min(1).max(1024).optional() });

const metricIdentity = z.strictObject({
  Namespace: z.string().min(1).max(255),
  MetricName: z.string().min(1).max(255),
  Dimensions: list(dimension, 30).default([]),
});

export const putMetricDataSchema = z.strictObject({
  Namespace: z.string().min(1).max(255),
  MetricData: list(
    z.strictObject({
      MetricName: z.string().min(1).max(255),
      Dimensions: list(dimension, 30).optional(),
      Timestamp: timestamp.optional(),
      Value: number.optional(),
      StatisticValues: z.strictObject({ SampleCount: number, Sum: number, Minimum: number, Maximum: number }).optional(),
      Values: list(number).optional(),
      Counts: list(number).optional(),
      Unit: unit.optional(),
      StorageResolution: z.preprocess((value) => (value === "1" ? 1 : value === "60" ? 60 : value), z.union([z.literal(1), z.literal(60)])).optional(),
    }),
  ),
  // Entity-associated data is accepted by the newest API; the emulator stores no entities.
  EntityMetricData: list(z.unknown(), 0, "entity metric data is not supported by the emulator").optional(),
  StrictEntityValidation: boolean.optional(),
});

const metricStat = z.strictObject({ Metric: metricIdentity, Period: integer, Stat: z.string().min(1), Unit: unit.optional() });

export const getMetricDataSchema = z.strictObject({
  MetricDataQueries: list(
    z.strictObject({
      Id: z.string().min(1).max(255),
      MetricStat: metricStat.optional(),
      Expression: z.string().min(1).optional(),
      Label: z.string().optional(),
      ReturnData: boolean.optional(),
      Period: integer.optional(),
      AccountId: z.string().optional(),
    }),
  ),
  StartTime: timestamp,
  EndTime: timestamp,
  NextToken: z.string().optional(),
  ScanBy: z.enum(["TimestampDescending", "TimestampAscending"]).optional(),
  MaxDatapoints: integer.optional(),
  LabelOptions: z.strictObject({ Timezone: z.string().optional() }).optional(),
});

export const getMetricStatisticsSchema = z.strictObject({
  ...metricIdentity.shape,
  StartTime: timestamp,
  EndTime: timestamp,
  Period: integer,
  Statistics: list(z.string()).optional(),
  ExtendedStatistics: list(z.string()).optional(),
  Unit: unit.optional(),
});

export const listMetricsSchema = z.strictObject({
  Namespace: z.string().min(1).max(255).optional(),
  MetricName: z.string().min(1).max(255).optional(),
  Dimensions: list(dimensionFilter, 10).optional(),
  NextToken: z.string().optional(),
  RecentlyActive: z.literal("PT3H").optional(),
  IncludeLinkedAccounts: boolean.optional(),
  OwningAccount: z.string().optional(),
});

const arnList = list(z.string().min(1).max(1024));

export const putMetricAlarmSchema = z.strictObject({
  Metrics: list(z.unknown(), 0, "metric math alarms are not supported by the emulator").optional(),
  ThresholdMetricId: z.never("metric math alarms are not supported by the emulator").optional(),
  AlarmName: z.string().min(1).max(255),
  AlarmDescription: z.string().max(1024).optional(),
  ActionsEnabled: boolean.optional(),
  OKActions: arnList.optional(),
  AlarmActions: arnList.optional(),
  InsufficientDataActions: arnList.optional(),
  MetricName: z.string().min(1).max(255),
  Namespace: z.string().min(1).max(255),
  Statistic: z.enum(["SampleCount", "Average", "Sum", "Minimum", "Maximum"]).optional(),
  ExtendedStatistic: z.string().optional(),
  Dimensions: list(dimension, 30).optional(),
  Period: integer,
  Unit: unit.optional(),
  EvaluationPeriods: integer,
  DatapointsToAlarm: integer.optional(),
  Threshold: number,
  ComparisonOperator: z.enum(["GreaterThanOrEqualToThreshold", "GreaterThanThreshold", "LessThanThreshold", "LessThanOrEqualToThreshold"]),
  TreatMissingData: z.enum(["breaching", "notBreaching", "ignore", "missing"]).optional(),
  EvaluateLowSampleCountPercentile: z.enum(["evaluate", "ignore"]).optional(),
  Tags: list(z.strictObject({ Key: z.string().min(1), Value: z.string() })).optional(),
});

export const describeAlarmsSchema = z.strictObject({
  AlarmNames: list(z.string().min(1).max(255)).optional(),
  AlarmNamePrefix: z.string().min(1).max(255).optional(),
  AlarmTypes: alarmTypes.optional(),
  StateValue: stateValue.optional(),
  ActionPrefix: z.string().min(1).max(1024).optional(),
  MaxRecords: integer.optional(),
  NextToken: z.string().optional(),
});

export const describeAlarmHistorySchema = z.strictObject({
  AlarmName: z.string().min(1).max(255).optional(),
  AlarmContributorId: z.string().min(1).max(16).optional(),
  AlarmTypes: alarmTypes.optional(),
  HistoryItemType: z.enum(["ConfigurationUpdate", "StateUpdate", "Action", "AlarmContributorStateUpdate", "AlarmContributorAction"]).optional(),
  StartDate: timestamp.optional(),
  EndDate: timestamp.optional(),
  MaxRecords: integer.optional(),
  NextToken: z.string().optional(),
  ScanBy: z.enum(["TimestampDescending", "TimestampAscending"]).optional(),
});

export const setAlarmStateSchema = z.strictObject({
  AlarmName: z.string().min(1).max(255),
  StateValue: stateValue,
  StateReason: z.string().max(1023),
  StateReasonData: z.string().max(4000).optional(),
});

export const deleteAlarmsSchema = z.strictObject({ AlarmNames: list(z.string().min(1).max(255)) });
