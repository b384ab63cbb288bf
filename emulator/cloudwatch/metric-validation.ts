import { invalidParameterCombination, invalidParameterValue, missingParameter } from "./errors.ts";
import type { MetricDatum } from "./types.ts";

const MAX_DATA = 1000;
const MAX_VALUES = 150;
/** CloudWatch rejects values outside ±2^360. */
const LIMIT = 2 ** 360;
const MAX_AGE_MS = 14 * 86_400_000;
const MAX_AHEAD_MS = 2 * 3600_000;

const checkValue = (value: number, name: string): void => {
  if (!Number.isFinite(value) || Math.abs(value) > LIMIT) throw invalidParameterValue(`The value ${value} for parameter ${name} is invalid.`);
};

/** PutMetricData's rules for caller-supplied data (the fleet's own publishing skips them). */
export const validateMetricData = (namespace: string, data: readonly MetricDatum[], nowMs: number): void => {
  if (namespace.startsWith("AWS/")) throw invalidParameterValue(`The value ${namespace} for parameter Namespace is invalid: the AWS/ prefix is reserved for AWS services.`);
  if (data.length === 0) throw missingParameter("The parameter MetricData is required.");
  if (data.length > MAX_DATA) throw invalidParameterValue(`The collection MetricData must not have a size greater than ${MAX_DATA}.`);
  data.forEach((datum, index) => {
    const prefix = `MetricData.member.${index + 1}`;
    const kinds = [datum.Value !== undefined && "Value", datum.StatisticValues !== undefined && "StatisticValues", datum.Values !== undefined && "Values"].filter(
      (kind): kind is string => kind !== false,
    );
    if (kinds.length === 0) throw missingParameter(`At least one of the parameters ${prefix}.Value, ${prefix}.StatisticValues or ${prefix}.Values must be specified.`);
    if (kinds.length > 1) {
      throw invalidParameterCombination(`The parameters ${kinds.map((kind) => `${prefix}.${kind}`).join(" and ")} are mutually exclusive and you have specified both.`);
    }
    if (datum.Value !== undefined) checkValue(datum.Value, `${prefix}.Value`);
    if (datum.Values !== undefined) {
      if (datum.Values.length > MAX_VALUES) throw invalidParameterValue(`The collection ${prefix}.Values must not have a size greater than ${MAX_VALUES}.`);
      datum.Values.forEach((value, valueIndex) => checkValue(value, `${prefix}.Values.member.${valueIndex + 1}`));
      if (datum.Counts !== undefined && datum.Counts.length !== datum.Values.length) {
        throw invalidParameterValue(`The parameters ${prefix}.Values and ${prefix}.Counts must be of the same size.`);
      }
      datum.Counts?.forEach((count, countIndex) => {
        if (!(Number.isFinite(count) && count >= 0)) throw invalidParameterValue(`The value ${count} for parameter ${prefix}.Counts.member.${countIndex + 1} is invalid.`);
      });
    } else if (datum.Counts !== undefined) {
      throw invalidParameterCombination(`The parameter ${prefix}.Counts requires ${prefix}.Values.`);
    }
    const set = datum.StatisticValues;
    if (set) {
      for (const [field, value] of Object.entries(set)) checkValue(value, `${prefix}.StatisticValues.${field}`);
      if (!(set.SampleCount > 0)) throw invalidParameterValue(`The parameter ${prefix}.StatisticValues.SampleCount must be greater than 0.`);
      if (set.Minimum > set.Maximum) throw invalidParameterValue(`The parameter ${prefix}.StatisticValues.Minimum must not be greater than Maximum.`);
    }
    const names = (datum.Dimensions ?? []).map((dimension) => dimension.Name);
    if (new Set(names).size !== names.length) throw invalidParameterValue(`The parameter ${prefix}.Dimensions must not repeat a dimension name.`);
    const timestampMs = datum.Timestamp?.getTime();
    if (timestampMs !== undefined && timestampMs < nowMs - MAX_AGE_MS) {
      throw invalidParameterValue(`The parameter ${prefix}.Timestamp must specify a time no more than two weeks in the past.`);
    }
    if (timestampMs !== undefined && timestampMs > nowMs + MAX_AHEAD_MS) {
      throw invalidParameterValue(`The parameter ${prefix}.Timestamp must specify a time no more than two hours in the future.`);
    }
  });
};
