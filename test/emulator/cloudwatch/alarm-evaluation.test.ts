import { describe, expect, it } from "vitest";
import { evaluateAlarm, evaluationRange, type AlarmRule } from "../../../emulator/cloudwatch/alarm-evaluation.ts";
import type { AlarmStateValue, TreatMissingData } from "../../../emulator/cloudwatch/types.ts";

/** "0 - X - X": 0 = fine, X = breaching, - = missing; oldest first, as the CloudWatch docs draw them. */
const periods = (pattern: string) =>
  pattern.split(" ").map((symbol, index) => ({ timestampMs: index * 60_000, value: symbol === "X" ? 10 : symbol === "0" ? 0 : undefined }));

const rule = (treatMissingData: TreatMissingData, evaluationPeriods: number, datapointsToAlarm: number): AlarmRule => ({
  threshold: 5,
  comparisonOperator: "GreaterThanThreshold",
  evaluationPeriods,
  datapointsToAlarm,
  treatMissingData,
});

const STATES: readonly AlarmStateValue[] = ["OK", "ALARM", "INSUFFICIENT_DATA"];
const TREATMENTS: readonly TreatMissingData[] = ["missing", "ignore", "breaching", "notBreaching"];
/** "Retain current state" in the docs' table. */
const RETAIN = "retain";
type Cell = AlarmStateValue | typeof RETAIN;

/**
 * Amazon CloudWatch User Guide, "Configuring how CloudWatch alarms treat missing data", section
 * "How alarm state is evaluated when data is missing"
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-missing-data.html):
 * "In the first table, Datapoints to Alarm and Evaluation Periods are both 3. CloudWatch
 * retrieves the 5 most recent data points when evaluating the alarm." The second: "Datapoints to
 * Alarm is only 2 while Evaluation Periods is 3. This is a 2 out of 3, M out of N alarm."
 * Columns: MISSING, IGNORE, BREACHING, NOT BREACHING.
 */
const DOCUMENTED_TABLE: ReadonlyArray<{ m: number; n: number; pattern: string; cells: readonly [Cell, Cell, Cell, Cell] }> = [
  { m: 3, n: 3, pattern: "0 - X - X", cells: ["OK", "OK", "OK", "OK"] },
  { m: 3, n: 3, pattern: "0 - - - -", cells: ["OK", "OK", "OK", "OK"] },
  { m: 3, n: 3, pattern: "- - - - -", cells: ["INSUFFICIENT_DATA", RETAIN, "ALARM", "OK"] },
  { m: 3, n: 3, pattern: "0 X X - X", cells: ["ALARM", "ALARM", "ALARM", "ALARM"] },
  { m: 3, n: 3, pattern: "- - - - X", cells: ["INSUFFICIENT_DATA", RETAIN, "ALARM", "OK"] },
  { m: 3, n: 3, pattern: "X - - - -", cells: ["ALARM", RETAIN, "ALARM", "OK"] },
  { m: 2, n: 3, pattern: "0 - X - X", cells: ["ALARM", "ALARM", "ALARM", "ALARM"] },
  { m: 2, n: 3, pattern: "0 0 X 0 X", cells: ["ALARM", "ALARM", "ALARM", "ALARM"] },
  { m: 2, n: 3, pattern: "0 - X - -", cells: ["OK", "OK", "ALARM", "OK"] },
  { m: 2, n: 3, pattern: "- - - - 0", cells: ["OK", "OK", "ALARM", "OK"] },
  { m: 2, n: 3, pattern: "- - - - X", cells: ["INSUFFICIENT_DATA", RETAIN, "ALARM", "OK"] },
];

const cases = DOCUMENTED_TABLE.flatMap(({ m, n, pattern, cells }) => TREATMENTS.map((treatment, column) => ({ m, n, pattern, treatment, expected: cells[column] as Cell })));

describe("How alarm state is evaluated when data is missing (CloudWatch User Guide, alarms-and-missing-data.html)", () => {
  it("covers every cell of both documented tables", () => {
    expect(cases).toHaveLength(44);
  });

  it("retrieves the 5 most recent datapoints for 3 evaluation periods, whatever TreatMissingData says", () => {
    for (const treatment of TREATMENTS) expect(evaluationRange(rule(treatment, 3, 3))).toBe(5);
  });

  it.each(cases)("$m of $n, $pattern, $treatment → $expected", ({ m, n, pattern, treatment, expected }) => {
    const window = periods(pattern);
    expect(window).toHaveLength(evaluationRange(rule(treatment, n, m)));
    for (const current of STATES) {
      const verdict = evaluateAlarm(rule(treatment, n, m), window);
      expect(verdict.state ?? current).toBe(expected === RETAIN ? current : expected);
    }
  });

  it("evaluates exactly Evaluation Periods datapoints, filling missing ones only as often as needed", () => {
    // "In all of these situations, the number of datapoints evaluated is equal to the value of Evaluation Periods."
    expect(evaluateAlarm(rule("breaching", 3, 3), periods("0 - - - -"))).toMatchObject({ state: "OK", breachingCount: 2 });
    expect(evaluateAlarm(rule("breaching", 3, 3), periods("0 - - - -")).evaluated).toHaveLength(3);
    // With N datapoints present the newest N decide and the setting is not consulted.
    expect(evaluateAlarm(rule("breaching", 3, 3), periods("0 X X - X")).evaluated.map((period) => period.value)).toEqual([10, 10, 10]);
    // "The next time this alarm is evaluated, if the data is still missing it will go to ALARM."
    expect(evaluateAlarm(rule("breaching", 3, 3), periods("- - - - -")).state).toBe("ALARM");
  });
});

describe("M out of N (CloudWatch User Guide, Alarm evaluation: Datapoints to Alarm)", () => {
  it("alarms on M breaching datapoints anywhere among the newest N, not only consecutive ones", () => {
    expect(evaluateAlarm(rule("missing", 3, 2), periods("0 0 X 0 X")).state).toBe("ALARM");
    expect(evaluateAlarm(rule("missing", 3, 2), periods("0 X 0 0 X")).state).toBe("OK");
    expect(evaluateAlarm(rule("missing", 5, 2), periods("0 0 X 0 0 X 0")).state).toBe("ALARM");
    expect(evaluateAlarm(rule("notBreaching", 3, 2), periods("- X - X -"))).toMatchObject({ state: "ALARM", breachingCount: 2 });
  });

  it("compares with each operator", () => {
    const at = (comparisonOperator: AlarmRule["comparisonOperator"], value: number) =>
      evaluateAlarm({ ...rule("missing", 1, 1), comparisonOperator }, [{ timestampMs: 0, value }]).state;
    expect([at("GreaterThanThreshold", 5), at("GreaterThanOrEqualToThreshold", 5)]).toEqual(["OK", "ALARM"]);
    expect([at("LessThanThreshold", 5), at("LessThanOrEqualToThreshold", 5)]).toEqual(["OK", "ALARM"]);
  });
});
