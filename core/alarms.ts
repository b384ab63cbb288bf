import { DescribeAlarmsCommand, type CloudWatchClient } from "@aws-sdk/client-cloudwatch";
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

/** Throws RollbackAlarmFired when any of the deploy's rollback alarms is in ALARM. */
export async function assertNoRollbackAlarm(cloudWatch: CloudWatchClient, names: readonly string[]): Promise<void> {
  const firing = (await describeAlarmStates(cloudWatch, names)).filter((alarm) => alarm.state === "ALARM");
  if (firing.length > 0) throw new RollbackAlarmFired(firing);
}
