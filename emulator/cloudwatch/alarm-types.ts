import type { AlarmStateValue, ComparisonOperator, Dimension, StandardUnit, TreatMissingData } from "./types.ts";

/** PutMetricAlarm's input for a single-metric alarm (metric-math alarms are not emulated). */
export interface MetricAlarmInput {
  readonly AlarmName: string;
  readonly AlarmDescription?: string | undefined;
  readonly ActionsEnabled?: boolean | undefined;
  readonly OKActions?: readonly string[] | undefined;
  readonly AlarmActions?: readonly string[] | undefined;
  readonly InsufficientDataActions?: readonly string[] | undefined;
  readonly MetricName: string;
  readonly Namespace: string;
  readonly Statistic?: string | undefined;
  readonly ExtendedStatistic?: string | undefined;
  readonly Dimensions?: readonly Dimension[] | undefined;
  readonly Period: number;
  readonly Unit?: StandardUnit | undefined;
  readonly EvaluationPeriods: number;
  readonly DatapointsToAlarm?: number | undefined;
  readonly Threshold: number;
  readonly ComparisonOperator: ComparisonOperator;
  readonly TreatMissingData?: TreatMissingData | undefined;
}

/** An alarm as DescribeAlarms returns it (MetricAlarm shape). */
export interface MetricAlarm {
  AlarmName: string;
  AlarmArn: string;
  AlarmDescription?: string;
  AlarmConfigurationUpdatedTimestamp: Date;
  ActionsEnabled: boolean;
  OKActions: string[];
  AlarmActions: string[];
  InsufficientDataActions: string[];
  StateValue: AlarmStateValue;
  StateReason: string;
  StateReasonData?: string;
  StateUpdatedTimestamp: Date;
  StateTransitionedTimestamp: Date;
  MetricName: string;
  Namespace: string;
  Statistic?: string;
  ExtendedStatistic?: string;
  Dimensions: Dimension[];
  Period: number;
  Unit?: StandardUnit;
  EvaluationPeriods: number;
  DatapointsToAlarm: number;
  Threshold: number;
  ComparisonOperator: ComparisonOperator;
  TreatMissingData: TreatMissingData;
}

export interface AlarmFilter {
  readonly AlarmNames?: readonly string[] | undefined;
  readonly AlarmNamePrefix?: string | undefined;
  readonly StateValue?: AlarmStateValue | undefined;
  readonly ActionPrefix?: string | undefined;
  readonly MaxRecords?: number | undefined;
  readonly NextToken?: string | undefined;
}

/** The "CloudWatch Alarm State Change" event's state objects. */
export interface AlarmEventState {
  readonly value: AlarmStateValue;
  readonly reason: string;
  readonly reasonData?: string;
  readonly timestamp: string;
}

export interface AlarmStateChangeDetail {
  readonly alarmName: string;
  readonly state: AlarmEventState;
  readonly previousState: AlarmEventState;
  readonly configuration: {
    readonly description?: string;
    readonly metrics: ReadonlyArray<{
      readonly id: string;
      readonly metricStat: {
        readonly metric: { readonly namespace: string; readonly name: string; readonly dimensions: Readonly<Record<string, string>> };
        readonly period: number;
        readonly stat: string;
      };
      readonly returnData: boolean;
    }>;
  };
}

export type AlarmType = "MetricAlarm" | "CompositeAlarm";

export type AlarmHistoryItemType = "ConfigurationUpdate" | "StateUpdate" | "Action";

/** An entry of DescribeAlarmHistory (AlarmHistoryItem shape). */
export interface AlarmHistoryItem {
  readonly AlarmName: string;
  readonly AlarmType: AlarmType;
  readonly Timestamp: Date;
  readonly HistoryItemType: AlarmHistoryItemType;
  readonly HistorySummary: string;
  /** JSON, as CloudWatch writes it ({"version":"1.0","oldState":...,"newState":...} for a state update). */
  readonly HistoryData: string;
}

export interface AlarmHistoryFilter {
  readonly AlarmName?: string | undefined;
  /** Omitted or empty: metric alarms only, as in CloudWatch. */
  readonly AlarmTypes?: readonly AlarmType[] | undefined;
  readonly HistoryItemType?: AlarmHistoryItemType | undefined;
  readonly StartDate?: Date | undefined;
  readonly EndDate?: Date | undefined;
  readonly MaxRecords?: number | undefined;
  readonly NextToken?: string | undefined;
  readonly ScanBy?: "TimestampDescending" | "TimestampAscending" | undefined;
}
