import { describe, expect, it } from "vitest";
import { evaluateAlarm, evaluationRange, type AlarmRule } from "../../../emulator/cloudwatch/alarm-evaluation.ts";
import type { TreatMissingData } from "../../../emulator/cloudwatch/types.ts";

/** "0 - X - X": 0 = fine, X = breaching, - = missing; oldest first, as the CloudWatch docs draw them. */
const periods = (pattern: string) =>
  pattern.split(" ").map((symbol, index) => ({ timestampMs: index * 60_000, value: symbol === "X" ? 10 : symbol === "0" ? 0 : undefined }));

const rule = (treatMissingData: TreatMissingData, evaluationPeriods = 3, datapointsToAlarm = 3): AlarmRule => ({
  threshold: 5,
  comparisonOperator: "GreaterThanThreshold",
  evaluationPeriods,
  datapointsToAlarm,
  treatMissingData,
});

describe("alarm evaluation (M out of N)", () => {
  // The table in "Configuring how CloudWatch alarms treat missing data" (3 of 3, evaluation range 5).
  const table: Array<[string, Record<TreatMissingData, string | undefined>]> = [
    ["0 - X - X", { missing: "OK", ignore: "OK", breaching: "ALARM", notBreaching: "OK" }],
    ["- - - - 0", { missing: "OK", ignore: "OK", breaching: "OK", notBreaching: "OK" }],
    ["- - - - -", { missing: "INSUFFICIENT_DATA", ignore: undefined, breaching: "ALARM", notBreaching: "OK" }],
    ["0 X X - X", { missing: "ALARM", ignore: "ALARM", breaching: "ALARM", notBreaching: "OK" }],
    ["- - X - -", { missing: undefined, ignore: undefined, breaching: "ALARM", notBreaching: "OK" }],
  ];
  for (const [pattern, expected] of table) {
    for (const [treatment, state] of Object.entries(expected) as Array<[TreatMissingData, string | undefined]>) {
      it(`${pattern} with ${treatment} → ${state ?? "keep state"}`, () => {
        const window = periods(pattern).slice(-evaluationRange(rule(treatment)));
        expect(evaluateAlarm(rule(treatment), window).state).toBe(state);
      });
    }
  }

  it("alarms on M breaching datapoints out of N", () => {
    const twoOfThree = rule("missing", 3, 2);
    expect(evaluateAlarm(twoOfThree, periods("0 0 X 0 X")).state).toBe("ALARM");
    expect(evaluateAlarm(twoOfThree, periods("0 0 0 0 X")).state).toBe("OK");
    expect(evaluateAlarm(rule("notBreaching", 3, 2), periods("X - X"))).toMatchObject({ state: "ALARM", breachingCount: 2 });
  });

  it("compares with each operator", () => {
    const at = (comparisonOperator: AlarmRule["comparisonOperator"], value: number) =>
      evaluateAlarm({ ...rule("missing", 1, 1), comparisonOperator }, [{ timestampMs: 0, value }]).state;
    expect([at("GreaterThanThreshold", 5), at("GreaterThanOrEqualToThreshold", 5)]).toEqual(["OK", "ALARM"]);
    expect([at("LessThanThreshold", 5), at("LessThanOrEqualToThreshold", 5)]).toEqual(["OK", "ALARM"]);
  });
});
