import type { RemediationSettings } from "../core/remediation/settings.ts";

/**
 * The alarms remediation starts from, one per target group: UnHealthyHostCount (Maximum, so one
 * failing host in any load balancer node's view counts) above 0 for the configured periods, and
 * optionally the group's HTTPCode_Target_5XX_Count. Each names its target group through the
 * `TargetGroup` dimension, which the workflow turns back into the ARN and the ASG. Names start
 * with the stage's alarm prefix, which is what the EventBridge rule matches.
 */

export interface AlarmTarget {
  /** The target group's name (for the alarm name). */
  readonly targetGroupName: string;
  /** `targetgroup/<name>/<id>`: the ARN's suffix, the metric's TargetGroup dimension. */
  readonly targetGroupDimension: string;
  /** `app/<name>/<id>`: the load balancer's ARN suffix, the metric's LoadBalancer dimension. */
  readonly loadBalancerDimension: string;
}

/** PutMetricAlarm's fields as both the SDK and aws.cloudwatch.MetricAlarm take them (by name). */
export interface AlarmSpec {
  readonly AlarmName: string;
  readonly AlarmDescription: string;
  readonly Namespace: "AWS/ApplicationELB";
  readonly MetricName: "UnHealthyHostCount" | "HTTPCode_Target_5XX_Count";
  readonly Statistic: "Maximum" | "Sum";
  readonly Dimensions: readonly { readonly Name: string; readonly Value: string }[];
  readonly Period: number;
  readonly EvaluationPeriods: number;
  readonly DatapointsToAlarm: number;
  readonly Threshold: number;
  readonly ComparisonOperator: "GreaterThanThreshold";
  /** No datapoint is no unhealthy host (a target group without targets publishes nothing). */
  readonly TreatMissingData: "notBreaching";
}

const ALARM_NAME_LIMIT = 255;

export function remediationAlarms(prefix: string, alarm: RemediationSettings["alarm"], targets: readonly AlarmTarget[]): AlarmSpec[] {
  return targets.flatMap((target) => {
    const dimensions = [
      { Name: "TargetGroup", Value: target.targetGroupDimension },
      { Name: "LoadBalancer", Value: target.loadBalancerDimension },
    ];
    const common = {
      Namespace: "AWS/ApplicationELB" as const,
      Dimensions: dimensions,
      Period: alarm.periodSeconds,
      EvaluationPeriods: alarm.evaluationPeriods,
      DatapointsToAlarm: alarm.evaluationPeriods,
      ComparisonOperator: "GreaterThanThreshold" as const,
      TreatMissingData: "notBreaching" as const,
    };
    const specs: AlarmSpec[] = [
      {
        ...common,
        AlarmName: `${prefix}unhealthy-hosts-${target.targetGroupName}`,
        AlarmDescription: `Ebb remediation: a target of ${target.targetGroupName} is unhealthy`,
        MetricName: "UnHealthyHostCount",
        Statistic: "Maximum",
        Threshold: 0,
      },
    ];
    if (alarm.target5xxThreshold > 0) {
      specs.push({
        ...common,
        AlarmName: `${prefix}target-5xx-${target.targetGroupName}`,
        AlarmDescription: `Ebb remediation: targets of ${target.targetGroupName} answer 5XX`,
        MetricName: "HTTPCode_Target_5XX_Count",
        Statistic: "Sum",
        Threshold: alarm.target5xxThreshold,
      });
    }
    for (const spec of specs) {
      if (spec.AlarmName.length > ALARM_NAME_LIMIT) throw new Error(`Alarm name "${spec.AlarmName}" is longer than CloudWatch's ${ALARM_NAME_LIMIT} characters`);
    }
    return specs;
  });
}
