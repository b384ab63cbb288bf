import type { ActionHandler } from "../types.ts";
import { parseParams } from "./parse.ts";
import { deleteAlarmsSchema, describeAlarmsSchema, putMetricAlarmSchema, setAlarmStateSchema } from "./schemas.ts";

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
