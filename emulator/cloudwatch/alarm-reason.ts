import type { AlarmVerdict, PeriodValue } from "./alarm-evaluation.ts";
import type { MetricAlarm } from "./alarm-types.ts";
import type { AlarmStateValue } from "./types.ts";

/** CloudWatch's timestamp style in alarm events and reason data: 2019-10-02T17:04:40.989+0000. */
export const alarmTimestamp = (epochMs: number): string => new Date(epochMs).toISOString().replace("Z", "+0000");

/** Java's Double.toString for the numbers CloudWatch prints (50 → "50.0"). */
const javaDouble = (value: number): string => (Number.isInteger(value) ? value.toFixed(1) : String(value));

const two = (value: number): string => String(value).padStart(2, "0");

/** dd/MM/yy HH:mm:ss in UTC, as in "99.5 (02/10/19 16:59:00)". */
const reasonDate = (epochMs: number): string => {
  const date = new Date(epochMs);
  return `${two(date.getUTCDate())}/${two(date.getUTCMonth() + 1)}/${two(date.getUTCFullYear() % 100)} ${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())}`;
};

const COMPARISON_WORDS: Record<MetricAlarm["ComparisonOperator"], string> = {
  GreaterThanOrEqualToThreshold: "greater than or equal to",
  GreaterThanThreshold: "greater than",
  LessThanThreshold: "less than",
  LessThanOrEqualToThreshold: "less than or equal to",
};

const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? "" : "s"}`;

/** StateReason and StateReasonData for a verdict, worded the way CloudWatch words them. */
export const describeVerdict = (
  alarm: MetricAlarm,
  verdict: AlarmVerdict,
  next: AlarmStateValue,
  queryMs: number,
  rangeStartMs: number,
): { reason: string; reasonData: string } => {
  const present = verdict.evaluated.filter((period): period is PeriodValue & { value: number } => period.value !== undefined);
  const reasonData = JSON.stringify({
    version: "1.0",
    queryDate: alarmTimestamp(queryMs),
    startDate: alarmTimestamp(rangeStartMs),
    statistic: alarm.Statistic ?? alarm.ExtendedStatistic,
    period: alarm.Period,
    recentDatapoints: present.map((period) => period.value),
    threshold: alarm.Threshold,
    evaluatedDatapoints: present.map((period) => ({ timestamp: alarmTimestamp(period.timestampMs), value: period.value })),
  });
  if (next === "INSUFFICIENT_DATA") {
    return { reason: `Insufficient Data: ${plural(alarm.EvaluationPeriods, "datapoint")} ${alarm.EvaluationPeriods === 1 ? "was" : "were"} unknown.`, reasonData };
  }
  const missing = verdict.evaluated.length - present.length;
  const listed = present.map((period) => `${period.value} (${reasonDate(period.timestampMs)})`).join(", ");
  const words = COMPARISON_WORDS[alarm.ComparisonOperator];
  const counted = next === "ALARM" ? verdict.breachingCount : verdict.evaluated.length - verdict.breachingCount;
  const verb = counted === 1 ? "was" : "were";
  const relation = next === "ALARM" ? words : `not ${words}`;
  const missingNote = missing > 0 ? ` and ${plural(missing, "missing datapoint")} ${missing === 1 ? "was" : "were"} treated as [${alarm.TreatMissingData === "breaching" ? "Breaching" : "NonBreaching"}]` : "";
  const reason =
    `Threshold Crossed: ${counted} out of the last ${plural(verdict.evaluated.length, "datapoint")} [${listed}] ${verb} ${relation} the threshold ` +
    `(${javaDouble(alarm.Threshold)})${missingNote} (minimum ${plural(alarm.DatapointsToAlarm, "datapoint")} for ${alarm.StateValue} -> ${next} transition).`;
  return { reason, reasonData };
};
