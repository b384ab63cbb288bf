import {
  DeleteAlarmsCommand,
  DescribeAlarmHistoryCommand,
  paginateDescribeAlarmHistory,
  PutMetricAlarmCommand,
  SetAlarmStateCommand,
  type AlarmHistoryItem,
  type CloudWatchClient,
  type DescribeAlarmHistoryCommandInput,
  type PutMetricAlarmCommandInput,
} from "@aws-sdk/client-cloudwatch";
import { describe, expect, it } from "vitest";
import { alarmsFiredSince } from "../../../core/alarms.ts";
import { createAwsClients } from "../../../sim/aws-clients.ts";
import { AlarmHistory, HISTORY_RETENTION_MS } from "../../../emulator/cloudwatch/alarm-history.ts";
import { routerFor } from "../../../emulator/protocol/routers.ts";
import type { World } from "../../../sim/world.ts";
import { at, quietWorld, START_MS } from "../../support/world.ts";

const ALARM = "ebb-5xx";

const alarmInput = (overrides: Partial<PutMetricAlarmCommandInput> = {}): PutMetricAlarmCommandInput => ({
  AlarmName: ALARM,
  Namespace: "AWS/ApplicationELB",
  MetricName: "HTTPCode_Target_5XX_Count",
  Statistic: "Sum",
  Period: 60,
  EvaluationPeriods: 1,
  Threshold: 10,
  ComparisonOperator: "GreaterThanThreshold",
  TreatMissingData: "notBreaching",
  ...overrides,
});

/** Creates the alarm at t=0, lets it evaluate to OK at t=60, forces ALARM at t=90 and lets it clear at t=120. */
async function alarmThatFiredAndCleared(): Promise<{ world: World; cloudWatch: CloudWatchClient }> {
  const world = quietWorld();
  const { cloudWatch } = createAwsClients(world);
  await cloudWatch.send(new PutMetricAlarmCommand(alarmInput()));
  world.advance(90);
  await cloudWatch.send(new SetAlarmStateCommand({ AlarmName: ALARM, StateValue: "ALARM", StateReason: "canary failed", StateReasonData: '{"failures":3}' }));
  world.advance(30);
  return { world, cloudWatch };
}

const summaries = (items: readonly AlarmHistoryItem[] | undefined): string[] => (items ?? []).map((item) => item.HistorySummary ?? "");

describe("DescribeAlarmHistory through the real SDK", () => {
  it("records creation and every state change with CloudWatch's summaries, JSON history data and virtual timestamps", async () => {
    const { cloudWatch } = await alarmThatFiredAndCleared();
    const { AlarmHistoryItems: items, NextToken } = await cloudWatch.send(new DescribeAlarmHistoryCommand({ AlarmName: ALARM }));
    expect(NextToken).toBeUndefined();
    expect(summaries(items)).toEqual([
      "Alarm updated from ALARM to OK",
      "Alarm updated from OK to ALARM",
      "Alarm updated from INSUFFICIENT_DATA to OK",
      `Alarm "${ALARM}" created`,
    ]);
    expect(items?.map((item) => item.Timestamp)).toEqual([at(120), at(90), at(60), at(0)]);
    expect(items?.every((item) => item.AlarmName === ALARM && item.AlarmType === "MetricAlarm")).toBe(true);
    expect(items?.map((item) => item.HistoryItemType)).toEqual(["StateUpdate", "StateUpdate", "StateUpdate", "ConfigurationUpdate"]);

    const forced = JSON.parse(items?.[1]?.HistoryData ?? "{}") as Record<string, unknown>;
    expect(forced).toEqual({
      version: "1.0",
      oldState: { stateValue: "OK", stateReason: expect.stringMatching(/^Threshold Crossed: /), stateReasonData: expect.objectContaining({ version: "1.0", period: 60 }) },
      newState: { stateValue: "ALARM", stateReason: "canary failed", stateReasonData: { failures: 3 } },
    });
    const created = JSON.parse(items?.[3]?.HistoryData ?? "{}") as { type?: string; createdAlarm?: Record<string, unknown> };
    expect(created.type).toBe("Create");
    expect(created.createdAlarm).toMatchObject({ alarmName: ALARM, threshold: 10, statistic: "SUM", stateValue: "INSUFFICIENT_DATA" });
  });

  it("filters by item type and date range, scans oldest first on request and keeps history after DeleteAlarms", async () => {
    const { cloudWatch } = await alarmThatFiredAndCleared();
    await cloudWatch.send(new PutMetricAlarmCommand(alarmInput({ Threshold: 20 })));
    const ascending = await cloudWatch.send(
      new DescribeAlarmHistoryCommand({ AlarmName: ALARM, HistoryItemType: "StateUpdate", StartDate: at(60), EndDate: at(90), ScanBy: "TimestampAscending" }),
    );
    expect(summaries(ascending.AlarmHistoryItems)).toEqual(["Alarm updated from INSUFFICIENT_DATA to OK", "Alarm updated from OK to ALARM"]);

    const configuration = await cloudWatch.send(new DescribeAlarmHistoryCommand({ HistoryItemType: "ConfigurationUpdate" }));
    const updated = JSON.parse(configuration.AlarmHistoryItems?.[0]?.HistoryData ?? "{}") as { type?: string; originalUpdatedFields?: Record<string, unknown> };
    expect(summaries(configuration.AlarmHistoryItems)).toEqual([`Alarm "${ALARM}" updated`, `Alarm "${ALARM}" created`]);
    expect(updated.type).toBe("Update");
    expect(updated.originalUpdatedFields?.["threshold"]).toBe(10);

    await cloudWatch.send(new DeleteAlarmsCommand({ AlarmNames: [ALARM] }));
    const afterDelete = await cloudWatch.send(new DescribeAlarmHistoryCommand({ AlarmName: ALARM }));
    expect(summaries(afterDelete.AlarmHistoryItems)[0]).toBe(`Alarm "${ALARM}" deleted`);
    expect(afterDelete.AlarmHistoryItems).toHaveLength(6);
    expect((await cloudWatch.send(new DescribeAlarmHistoryCommand({ AlarmTypes: ["CompositeAlarm"] }))).AlarmHistoryItems).toEqual([]);
    expect((await cloudWatch.send(new DescribeAlarmHistoryCommand({ AlarmName: "never-existed" }))).AlarmHistoryItems).toEqual([]);
  });

  it("pages with MaxRecords/NextToken, each item once, even when new items arrive between pages", async () => {
    const { world, cloudWatch } = await alarmThatFiredAndCleared();
    const first = await cloudWatch.send(new DescribeAlarmHistoryCommand({ AlarmName: ALARM, MaxRecords: 3 }));
    expect(first.AlarmHistoryItems).toHaveLength(3);
    await cloudWatch.send(new SetAlarmStateCommand({ AlarmName: ALARM, StateValue: "ALARM", StateReason: "again" }));
    const second = await cloudWatch.send(new DescribeAlarmHistoryCommand({ AlarmName: ALARM, MaxRecords: 3, NextToken: first.NextToken }));
    expect(summaries(second.AlarmHistoryItems)).toEqual([`Alarm "${ALARM}" created`]);
    expect(second.NextToken).toBeUndefined();

    world.advance(60);
    const pages = [];
    for await (const page of paginateDescribeAlarmHistory({ client: cloudWatch, pageSize: 2 }, { AlarmName: ALARM, ScanBy: "TimestampAscending" })) pages.push(page);
    const timestamps = pages.flatMap((page) => page.AlarmHistoryItems ?? []).map((item) => item.Timestamp?.getTime() ?? 0);
    expect(pages.map((page) => page.AlarmHistoryItems?.length)).toEqual([2, 2, 2]);
    expect(timestamps).toEqual([...timestamps].sort((a, b) => a - b));
  });

  it("rejects out-of-range MaxRecords, unknown item types and forged tokens with CloudWatch's codes", async () => {
    const { cloudWatch } = await alarmThatFiredAndCleared();
    for (const MaxRecords of [0, 101]) {
      await expect(cloudWatch.send(new DescribeAlarmHistoryCommand({ MaxRecords }))).rejects.toMatchObject({
        name: "InvalidParameterValueException",
        message: "The parameter MaxRecords must be between 1 and 100.",
      });
    }
    await expect(cloudWatch.send(new DescribeAlarmHistoryCommand({ NextToken: "bogus" }))).rejects.toMatchObject({ name: "InvalidNextToken" });
    const badType = { HistoryItemType: "Everything" } as unknown as DescribeAlarmHistoryCommandInput;
    await expect(cloudWatch.send(new DescribeAlarmHistoryCommand(badType))).rejects.toMatchObject({ name: "InvalidParameterValueException" });
  });

  it("lets the deploy see an alarm that fired and cleared between two polls (core/alarms.ts)", async () => {
    const { world, cloudWatch } = await alarmThatFiredAndCleared();
    expect(world.cloudwatch.alarm(ALARM)?.StateValue).toBe("OK");
    expect(await alarmsFiredSince(cloudWatch, [ALARM], at(30))).toEqual([
      { name: ALARM, state: "ALARM", reason: "Alarm updated from OK to ALARM at 2026-01-01T00:01:30.000Z" },
    ]);
    expect(await alarmsFiredSince(cloudWatch, [ALARM], at(100))).toEqual([]);
  });

  it("records a scenario's forced alarm state as a state update", async () => {
    const world = quietWorld({ app: { alarms: [{ alarmName: ALARM }] }, faults: { alarms: [{ atSeconds: 30, alarmName: ALARM, state: "ALARM" }] } });
    const { cloudWatch } = createAwsClients(world);
    await cloudWatch.send(new PutMetricAlarmCommand(alarmInput()));
    world.advance(40);
    const { AlarmHistoryItems } = await cloudWatch.send(new DescribeAlarmHistoryCommand({ AlarmName: ALARM, HistoryItemType: "StateUpdate" }));
    expect(summaries(AlarmHistoryItems)).toEqual(["Alarm updated from INSUFFICIENT_DATA to ALARM"]);
    expect(AlarmHistoryItems?.[0]?.Timestamp).toEqual(at(30));
  });
});

describe("DescribeAlarmHistory over the query protocol (AWS CLI)", () => {
  it("takes string parameters and ISO dates and answers in XML with a NextToken", async () => {
    const { world } = await alarmThatFiredAndCleared();
    const body = new URLSearchParams({
      Action: "DescribeAlarmHistory",
      Version: "2010-08-01",
      AlarmName: ALARM,
      HistoryItemType: "StateUpdate",
      StartDate: "2026-01-01T00:00:00Z",
      MaxRecords: "1",
      "AlarmTypes.member.1": "MetricAlarm",
    }).toString();
    const response = await routerFor(world).route({
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
      query: new URLSearchParams(),
      hostname: "monitoring.us-east-1.amazonaws.com",
      body: new TextEncoder().encode(body),
    });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain("<HistorySummary>Alarm updated from ALARM to OK</HistorySummary>");
    expect(response.body).toMatch(/<Timestamp>2026-01-01T00:02:00(\.000)?Z<\/Timestamp>/);
    expect(response.body).toMatch(/<NextToken>[^<]+<\/NextToken>/);
    expect(response.body.match(/<member>/g)).toHaveLength(1);
  });
});

describe("alarm history retention", () => {
  it("forgets items older than 30 days", () => {
    const history = new AlarmHistory();
    const ok = { value: "OK", reason: "fine" } as const;
    const alarm = { value: "ALARM", reason: "broken" } as const;
    history.recordStateUpdate(ALARM, ok, alarm, START_MS);
    history.recordStateUpdate(ALARM, alarm, ok, START_MS + HISTORY_RETENTION_MS);
    expect(history.describe({}, START_MS + HISTORY_RETENTION_MS).AlarmHistoryItems).toHaveLength(2);
    expect(summaries(history.describe({}, START_MS + HISTORY_RETENTION_MS + 1).AlarmHistoryItems)).toEqual(["Alarm updated from ALARM to OK"]);
    history.recordStateUpdate(ALARM, ok, alarm, START_MS + HISTORY_RETENTION_MS + 2);
    expect(history.describe({ ScanBy: "TimestampAscending" }, START_MS).AlarmHistoryItems.map((item) => item.Timestamp.getTime())).toEqual([
      START_MS + HISTORY_RETENTION_MS,
      START_MS + HISTORY_RETENTION_MS + 2,
    ]);
  });
});
