import type { AlarmStateValue, ComparisonOperator, TreatMissingData } from "./types.ts";

export interface AlarmRule {
  readonly threshold: number;
  readonly comparisonOperator: ComparisonOperator;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly treatMissingData: TreatMissingData;
}

/** One period of the evaluation range: its start and the statistic's value (undefined = no data). */
export interface PeriodValue {
  readonly timestampMs: number;
  readonly value: number | undefined;
}

export interface AlarmVerdict {
  /** undefined: keep the current state. */
  readonly state: AlarmStateValue | undefined;
  /** The periods that decided the verdict, newest first. */
  readonly evaluated: readonly PeriodValue[];
  readonly breachingCount: number;
}

/**
 * How many periods an alarm looks at: for `missing` and `ignore`, CloudWatch fetches more
 * periods than EvaluationPeriods (the evaluation range) and uses the newest ones that have data.
 */
export const evaluationRange = (rule: AlarmRule): number =>
  rule.treatMissingData === "missing" || rule.treatMissingData === "ignore" ? rule.evaluationPeriods + 2 : rule.evaluationPeriods;

const breaches = (rule: AlarmRule, value: number): boolean => {
  switch (rule.comparisonOperator) {
    case "GreaterThanOrEqualToThreshold":
      return value >= rule.threshold;
    case "GreaterThanThreshold":
      return value > rule.threshold;
    case "LessThanThreshold":
      return value < rule.threshold;
    case "LessThanOrEqualToThreshold":
      return value <= rule.threshold;
  }
};

/**
 * M out of N evaluation over `periods` (oldest first, `evaluationRange(rule)` long). With
 * breaching / notBreaching, missing periods count as that. With missing / ignore, the newest N
 * periods that have data decide: ALARM when at least M breach, OK once enough are fine that M
 * breaches are impossible, otherwise the state is kept (CloudWatch's premature-transition
 * avoidance); with no data at all, missing goes to INSUFFICIENT_DATA and ignore keeps the state.
 */
export const evaluateAlarm = (rule: AlarmRule, periods: readonly PeriodValue[]): AlarmVerdict => {
  const n = rule.evaluationPeriods;
  const m = rule.datapointsToAlarm;
  if (rule.treatMissingData === "breaching" || rule.treatMissingData === "notBreaching") {
    const recent = periods.slice(-n).reverse();
    const missingBreaches = rule.treatMissingData === "breaching";
    const breachingCount = recent.filter((period) => (period.value === undefined ? missingBreaches : breaches(rule, period.value))).length;
    return { state: breachingCount >= m ? "ALARM" : "OK", evaluated: recent, breachingCount };
  }
  const present = periods.filter((period) => period.value !== undefined).slice(-n).reverse();
  if (present.length === 0) {
    return { state: rule.treatMissingData === "missing" ? "INSUFFICIENT_DATA" : undefined, evaluated: [], breachingCount: 0 };
  }
  const breachingCount = present.filter((period) => breaches(rule, period.value as number)).length;
  const fine = present.length - breachingCount;
  const state = breachingCount >= m ? "ALARM" : fine > n - m ? "OK" : undefined;
  return { state, evaluated: present, breachingCount };
};
