import { DescribeAlarmHistoryCommand, DescribeAlarmsCommand, type CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { RollbackAlarmFired } from "./errors.ts";

export interface AlarmStatus {
  name: string;
  state: string;
  reason: string;
}

/** The named alarms that exist, with their state (DescribeAlarms takes at most 100 names). */
export async function describeAlarmStates(cloudWatch: CloudWatchClient, names: readonly string[]): Promise<AlarmStatus[]> {
  if (names.length === 0) return [];
  const statuses: AlarmStatus[] = [];
  let nextToken: string | undefined;
  do {
    const response = await cloudWatch.send(
      new DescribeAlarmsCommand({ AlarmNames: [...names], AlarmTypes: ["MetricAlarm", "CompositeAlarm"], NextToken: nextToken }),
    );
    for (const alarm of [...(response.MetricAlarms ?? []), ...(response.CompositeAlarms ?? [])]) {
      statuses.push({ name: alarm.AlarmName ?? "", state: alarm.StateValue ?? "", reason: alarm.StateReason ?? "" });
    }
    nextToken = response.NextToken;
  } while (nextToken !== undefined);
  return statuses;
}

/** Whether a state-history item records a transition into ALARM. */
function enteredAlarm(historyData: string | undefined, summary: string | undefined): boolean {
  if (historyData !== undefined) {
    try {
      const data = JSON.parse(historyData) as { newState?: { stateValue?: string } };
      if (data.newState?.stateValue !== undefined) return data.newState.stateValue === "ALARM";
    } catch {
      // Not JSON: fall back to the summary ("Alarm updated from OK to ALARM").
    }
  }
  return summary?.endsWith("to ALARM") ?? false;
}

/**
 * Alarms that went into ALARM at any time since `since`, even if they are OK again now: an alarm
 * evaluated every minute can fire and clear between two polls of a long wait.
 */
export async function alarmsFiredSince(cloudWatch: CloudWatchClient, names: readonly string[], since: Date): Promise<AlarmStatus[]> {
  const fired: AlarmStatus[] = [];
  for (const name of names) {
    let nextToken: string | undefined;
    do {
      const response = await cloudWatch.send(
        new DescribeAlarmHistoryCommand({ AlarmName: name, HistoryItemType: "StateUpdate", StartDate: since, NextToken: nextToken }),
      );
      const item = (response.AlarmHistoryItems ?? []).find((entry) => enteredAlarm(entry.HistoryData, entry.HistorySummary));
      if (item !== undefined) {
        fired.push({ name, state: "ALARM", reason: `${item.HistorySummary ?? "entered ALARM"} at ${item.Timestamp?.toISOString() ?? "?"}` });
        break;
      }
      nextToken = response.NextToken;
    } while (nextToken !== undefined);
  }
  return fired;
}

/**
 * Throws RollbackAlarmFired when any of the deploy's rollback alarms is in ALARM now or was at
 * any time since the deploy started.
 */
export async function assertNoRollbackAlarm(cloudWatch: CloudWatchClient, names: readonly string[], since: Date): Promise<void> {
  if (names.length === 0) return;
  const firing = (await describeAlarmStates(cloudWatch, names)).filter((alarm) => alarm.state === "ALARM");
  const fired = firing.length > 0 ? firing : await alarmsFiredSince(cloudWatch, names, since);
  if (fired.length > 0) throw new RollbackAlarmFired(fired);
}
