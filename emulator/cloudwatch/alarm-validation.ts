import type { MetricAlarmInput } from "./alarm-types.ts";
import { invalidParameterCombination, invalidParameterValue } from "./errors.ts";
import { isBasicStatistic, percentileRank } from "./statistics.ts";

const MAX_ACTIONS = 5;

/** PutMetricAlarm's cross-field rules; throws the AWS error for the first one broken. */
export const validateAlarmInput = (input: MetricAlarmInput): void => {
  if (input.AlarmName.length < 1 || input.AlarmName.length > 255) {
    throw invalidParameterValue("The parameter AlarmName must be between 1 and 255 characters long.");
  }
  if ((input.Statistic === undefined) === (input.ExtendedStatistic === undefined)) {
    throw invalidParameterCombination("Exactly one of Statistic and ExtendedStatistic must be specified.");
  }
  if (input.Statistic !== undefined && !isBasicStatistic(input.Statistic)) {
    throw invalidParameterValue(`The value ${input.Statistic} for parameter Statistic is not one of SampleCount, Average, Sum, Minimum, Maximum.`);
  }
  if (input.ExtendedStatistic !== undefined && percentileRank(input.ExtendedStatistic) === undefined) {
    throw invalidParameterValue(`The value ${input.ExtendedStatistic} for parameter ExtendedStatistic is not supported by the emulator (use pNN.NN).`);
  }
  if (!(input.Period === 10 || input.Period === 30 || (input.Period >= 60 && input.Period % 60 === 0))) {
    throw invalidParameterValue(`The parameter Period must be 10, 30 or a multiple of 60 (got ${input.Period}).`);
  }
  if (!(Number.isInteger(input.EvaluationPeriods) && input.EvaluationPeriods >= 1)) {
    throw invalidParameterValue("The parameter EvaluationPeriods must be greater than or equal to 1.");
  }
  const totalSeconds = input.Period * input.EvaluationPeriods;
  const maxSeconds = input.Period >= 3600 ? 7 * 86_400 : 86_400;
  if (totalSeconds > maxSeconds) {
    throw invalidParameterValue(
      `The product of Period and EvaluationPeriods (${totalSeconds}) must not exceed ${maxSeconds} seconds${input.Period >= 3600 ? "" : " for alarms with a period under one hour"}.`,
    );
  }
  const datapoints = input.DatapointsToAlarm ?? input.EvaluationPeriods;
  if (!(Number.isInteger(datapoints) && datapoints >= 1 && datapoints <= input.EvaluationPeriods)) {
    throw invalidParameterValue("The parameter DatapointsToAlarm must be between 1 and EvaluationPeriods.");
  }
  if (!Number.isFinite(input.Threshold)) throw invalidParameterValue("The parameter Threshold must be a finite number.");
  for (const [name, actions] of [
    ["AlarmActions", input.AlarmActions],
    ["OKActions", input.OKActions],
    ["InsufficientDataActions", input.InsufficientDataActions],
  ] as const) {
    if ((actions?.length ?? 0) > MAX_ACTIONS) throw invalidParameterValue(`The collection ${name} must not have more than ${MAX_ACTIONS} elements.`);
    for (const action of actions ?? []) {
      if (!action.startsWith("arn:")) throw invalidParameterValue(`Invalid arn syntax: ${action}`);
    }
  }
  if ((input.Dimensions?.length ?? 0) > 30) throw invalidParameterValue("The collection Dimensions must not have more than 30 elements.");
};

/** MaxRecords of the alarm Describe actions: 1–100, `fallback` when omitted. */
export const validMaxRecords = (maxRecords: number | undefined, fallback: number): number => {
  const value = maxRecords ?? fallback;
  if (!(Number.isInteger(value) && value >= 1 && value <= 100)) throw invalidParameterValue("The parameter MaxRecords must be between 1 and 100.");
  return value;
};
