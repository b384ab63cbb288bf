import { CloudWatchClient, PutMetricAlarmCommand } from "@aws-sdk/client-cloudwatch";
import { operatorClientConfig } from "./operator.ts";
import type { World } from "./world.ts";

/** Creates the team's alarms the way the team would: PutMetricAlarm through the real SDK. */
export async function createAppAlarms(world: World): Promise<void> {
  const alarms = world.config.app.alarms;
  if (alarms.length === 0) return;
  const cloudWatch = new CloudWatchClient(operatorClientConfig(world));
  for (const alarm of alarms) {
    await cloudWatch.send(
      new PutMetricAlarmCommand({
        AlarmName: alarm.alarmName,
        Namespace: alarm.namespace,
        MetricName: alarm.metricName,
        Statistic: alarm.statistic,
        Period: alarm.periodSeconds,
        EvaluationPeriods: alarm.evaluationPeriods,
        Threshold: alarm.threshold,
        ComparisonOperator: "GreaterThanThreshold",
        TreatMissingData: "notBreaching",
      }),
    );
  }
}
