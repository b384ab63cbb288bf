import type { MetricAlarmInput } from "../../cloudwatch/alarm-types.ts";
import type { ComparisonOperator, Dimension } from "../../cloudwatch/types.ts";
import { arn, nameHash } from "../../ec2/ids.ts";
import { validationError } from "../../protocol/errors.ts";
import type { PolicyAlarm, ScalingPolicyRecord, TargetTrackingConfiguration } from "../scaling-policies.ts";

/** What creating the alarms needs of the account. */
export interface AlarmHost {
  readonly region: string;
  readonly accountId: string;
  readonly cloudwatch: {
    putMetricAlarm(input: MetricAlarmInput): void;
    deleteAlarms(names: readonly string[]): void;
    alarm(name: string): unknown;
  };
}

/**
 * "Target tracking scaling policies for Amazon EC2 Auto Scaling" (EC2 Auto Scaling user guide):
 * the policy creates and manages its own CloudWatch alarms, named TargetTracking-<group>-AlarmHigh-<uuid>
 * and ...-AlarmLow-<uuid> (as the user guide's DescribePolicies example shows them). The high
 * alarm fires on 3 of 3 one-minute datapoints above the target, the low one on 15 of 15 below it;
 * scale in waits for the metric to sit clearly below the target (Application Auto Scaling's page
 * says "typically more than 10%"), so the low alarm's threshold is 90% of the target. Missing data
 * stays missing: "insufficient data ... is not interpreted as low utilization". With DisableScaleIn
 * no low alarm is created: nothing could act on it.
 */
export const HIGH_ALARM_DATAPOINTS = 3;
export const LOW_ALARM_DATAPOINTS = 15;
export const LOW_ALARM_RATIO = 0.9;

/** The single metric the alarms watch: a customized metric, or the predefined CPU average. */
function trackedMetric(group: string, tracking: TargetTrackingConfiguration): { Namespace: string; MetricName: string; Dimensions: Dimension[]; Statistic: string; Unit?: string | undefined; Period: number } {
  const custom = tracking.CustomizedMetricSpecification;
  if (custom !== undefined) {
    if (custom.Metrics !== undefined) throw validationError("Metric math in CustomizedMetricSpecification.Metrics is not supported by the Ebb emulator: publish one aggregated metric");
    if (custom.Namespace === undefined || custom.MetricName === undefined) throw validationError("CustomizedMetricSpecification needs Namespace and MetricName");
    return { Namespace: custom.Namespace, MetricName: custom.MetricName, Dimensions: custom.Dimensions ?? [], Statistic: custom.Statistic ?? "Average", Unit: custom.Unit, Period: custom.Period ?? 60 };
  }
  const predefined = tracking.PredefinedMetricSpecification?.PredefinedMetricType;
  if (predefined === "ASGAverageCPUUtilization") {
    return { Namespace: "AWS/EC2", MetricName: "CPUUtilization", Dimensions: [{ Name: "AutoScalingGroupName", Value: group }], Statistic: "Average", Period: 60 };
  }
  throw validationError(`PredefinedMetricType ${predefined ?? "(none)"} is not supported by the Ebb emulator (only ASGAverageCPUUtilization)`);
}

/** Creates (or updates in place) the policy's alarms and returns them; call before storing the policy. */
export function putManagedAlarms(host: AlarmHost, group: string, policy: Pick<ScalingPolicyRecord, "policyArn" | "alarms">, tracking: TargetTrackingConfiguration): PolicyAlarm[] {
  const metric = trackedMetric(group, tracking);
  const suffix = (kind: string): string => {
    const hash = nameHash(`${policy.policyArn}/${kind}`) + nameHash(`${kind}/${policy.policyArn}`);
    return `${hash.slice(0, 8)}-${hash.slice(8, 12)}-4${hash.slice(13, 16)}-a${hash.slice(17, 20)}-${hash.slice(20, 32)}`;
  };
  const wanted: ReadonlyArray<{ kind: string; threshold: number; comparison: ComparisonOperator; datapoints: number }> = [
    { kind: "AlarmHigh", threshold: tracking.TargetValue, comparison: "GreaterThanThreshold", datapoints: HIGH_ALARM_DATAPOINTS },
    ...(tracking.DisableScaleIn ? [] : [{ kind: "AlarmLow", threshold: tracking.TargetValue * LOW_ALARM_RATIO, comparison: "LessThanThreshold" as const, datapoints: LOW_ALARM_DATAPOINTS }]),
  ];
  const alarms: PolicyAlarm[] = [];
  for (const alarm of wanted) {
    const AlarmName = policy.alarms.find((existing) => existing.AlarmName.includes(`-${alarm.kind}-`))?.AlarmName ?? `TargetTracking-${group}-${alarm.kind}-${suffix(alarm.kind)}`;
    host.cloudwatch.putMetricAlarm({
      AlarmName,
      AlarmDescription: `DO NOT EDIT OR DELETE. For TargetTrackingScaling policy ${policy.policyArn}.`,
      AlarmActions: [policy.policyArn],
      Namespace: metric.Namespace,
      MetricName: metric.MetricName,
      Dimensions: metric.Dimensions,
      Statistic: metric.Statistic,
      ...(metric.Unit === undefined ? {} : { Unit: metric.Unit as MetricAlarmInput["Unit"] }),
      Period: metric.Period,
      EvaluationPeriods: alarm.datapoints,
      DatapointsToAlarm: alarm.datapoints,
      Threshold: alarm.threshold,
      ComparisonOperator: alarm.comparison,
      TreatMissingData: "missing",
    });
    alarms.push({ AlarmName, AlarmARN: arn("cloudwatch", host.region, host.accountId, `alarm:${AlarmName}`) });
  }
  const dropped = policy.alarms.filter((old) => !alarms.some((kept) => kept.AlarmName === old.AlarmName)).map((old) => old.AlarmName);
  const existing = dropped.filter((name) => host.cloudwatch.alarm(name) !== undefined);
  if (existing.length > 0) host.cloudwatch.deleteAlarms(existing);
  return alarms;
}
