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
  /** The periods that decided the verdict, newest first (a missing one was filled by TreatMissingData). */
  readonly evaluated: readonly PeriodValue[];
  readonly breachingCount: number;
}

/**
 * How many periods an alarm retrieves: whatever TreatMissingData says, CloudWatch fetches more
 * periods than EvaluationPeriods (the evaluation range). AWS gives the size only by example
 * (3 evaluation periods → the 5 most recent datapoints), so the emulator uses N + 2 throughout.
 */
export const evaluationRange = (rule: AlarmRule): number => rule.evaluationPeriods + 2;

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
 * CloudWatch's guard against premature transitions, which only `missing` applies (the
 * documented table keeps the state under `ignore`): with no fine datapoint in the range, ALARM
 * once the oldest breaching one is at least DatapointsToAlarm periods old.
 */
const prematureAlarm = (rule: AlarmRule, newestFirst: readonly PeriodValue[], present: readonly PeriodValue[], breachingPresent: number): boolean => {
  const oldest = present.at(-1);
  return oldest !== undefined && breachingPresent === present.length && newestFirst.indexOf(oldest) + 1 >= rule.datapointsToAlarm;
};

/**
 * M out of N evaluation over the evaluation range (`periods`, oldest first), as "Configuring how
 * CloudWatch alarms treat missing data" describes it. With at least N datapoints present, the
 * newest N decide and TreatMissingData is not consulted. With fewer, every present datapoint
 * counts and as few missing periods as needed (the newest ones) make up N: breaching and
 * notBreaching fill them in; missing and ignore leave them out, going OK once a present
 * datapoint is fine, and otherwise to INSUFFICIENT_DATA (missing) or nowhere (ignore).
 */
export const evaluateAlarm = (rule: AlarmRule, periods: readonly PeriodValue[]): AlarmVerdict => {
  const n = rule.evaluationPeriods;
  const m = rule.datapointsToAlarm;
  const newestFirst = [...periods].reverse();
  const present = newestFirst.filter((period) => period.value !== undefined);
  const breachingPresent = present.filter((period) => breaches(rule, period.value as number)).length;
  if (present.length >= n) {
    const evaluated = present.slice(0, n);
    const breachingCount = evaluated.filter((period) => breaches(rule, period.value as number)).length;
    return { state: breachingCount >= m ? "ALARM" : "OK", evaluated, breachingCount };
  }
  const fill = newestFirst.filter((period) => period.value === undefined).slice(0, n - present.length);
  const evaluated = newestFirst.filter((period) => period.value !== undefined || fill.includes(period));
  if (rule.treatMissingData === "breaching" || rule.treatMissingData === "notBreaching") {
    const breachingCount = breachingPresent + (rule.treatMissingData === "breaching" ? fill.length : 0);
    return { state: breachingCount >= m ? "ALARM" : "OK", evaluated, breachingCount };
  }
  const verdict = (state: AlarmStateValue | undefined): AlarmVerdict => ({ state, evaluated: present, breachingCount: breachingPresent });
  if (breachingPresent >= m) return verdict("ALARM");
  if (rule.treatMissingData === "missing" && prematureAlarm(rule, newestFirst, present, breachingPresent)) return verdict("ALARM");
  if (breachingPresent < present.length) return verdict("OK");
  return verdict(rule.treatMissingData === "missing" ? "INSUFFICIENT_DATA" : undefined);
};
