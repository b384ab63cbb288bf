import type { ActionHandler } from "../../protocol/service-types.ts";
import { parseParams } from "./parse.ts";
import { deleteAlarmsSchema, describeAlarmHistorySchema, describeAlarmsSchema, putMetricAlarmSchema, setAlarmStateSchema } from "./schemas.ts";

export const putMetricAlarm: ActionHandler = (params, { world }) => {
  const { Metrics: _metrics, ThresholdMetricId: _threshold, EvaluateLowSampleCountPercentile: _low, Tags: _tags, ...input } = parseParams(putMetricAlarmSchema, params);
  world.cloudwatch.putMetricAlarm(input);
  return {};
};

export const describeAlarms: ActionHandler = (params, { world }) => {
  const { AlarmTypes, ...filter } = parseParams(describeAlarmsSchema, params);
  const wantsMetricAlarms = AlarmTypes === undefined || AlarmTypes.length === 0 || AlarmTypes.includes("MetricAlarm");
  const result = wantsMetricAlarms ? world.cloudwatch.describeAlarms(filter) : { MetricAlarms: [] };
  // The emulator has no composite alarms.
  return { ...result, CompositeAlarms: [] };
};

export const describeAlarmHistory: ActionHandler = (params, { world }) => {
  const { AlarmContributorId: _contributor, HistoryItemType, ...filter } = parseParams(describeAlarmHistorySchema, params);
  // Contributor items only exist for multi-time-series alarms, which the emulator has none of.
  if (HistoryItemType === "AlarmContributorStateUpdate" || HistoryItemType === "AlarmContributorAction") return { AlarmHistoryItems: [] };
  return world.cloudwatch.describeAlarmHistory({ ...filter, HistoryItemType });
};

export const setAlarmState: ActionHandler = (params, { world }) => {
  const input = parseParams(setAlarmStateSchema, params);
  world.cloudwatch.setAlarmState(input.AlarmName, input.StateValue, input.StateReason, input.StateReasonData);
  return {};
};

export const deleteAlarms: ActionHandler = (params, { world }) => {
  const input = parseParams(deleteAlarmsSchema, params);
  world.cloudwatch.deleteAlarms(input.AlarmNames);
  return {};
};
