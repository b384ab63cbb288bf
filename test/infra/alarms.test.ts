import { describe, expect, it } from "vitest";
import { remediationSettingsSchema } from "../../core/remediation/settings.ts";
import { remediationAlarms } from "../../infra/alarms.ts";
import { alarmStateChangePattern } from "../../infra/events.ts";
import { matchesPattern } from "../../emulator/events/pattern.ts";
import { validatePattern } from "../../emulator/events/pattern-validation.ts";

const target = { targetGroupName: "web", targetGroupDimension: "targetgroup/web/0123456789abcdef", loadBalancerDimension: "app/web-alb/0123456789abcdef" };

describe("remediation alarms", () => {
  it("alarm on UnHealthyHostCount (Maximum > 0) per target group, named under the prefix the alarm rule matches", () => {
    const alarm = remediationSettingsSchema.parse({}).alarm;
    const [spec, ...others] = remediationAlarms("ebb-demo-", alarm, [target]);
    expect(others).toEqual([]);
    expect(spec).toMatchObject({
      AlarmName: "ebb-demo-unhealthy-hosts-web",
      Namespace: "AWS/ApplicationELB",
      MetricName: "UnHealthyHostCount",
      Statistic: "Maximum",
      Period: 60,
      EvaluationPeriods: 2,
      DatapointsToAlarm: 2,
      Threshold: 0,
      ComparisonOperator: "GreaterThanThreshold",
      TreatMissingData: "notBreaching",
      Dimensions: [{ Name: "TargetGroup", Value: target.targetGroupDimension }, { Name: "LoadBalancer", Value: target.loadBalancerDimension }],
    });
    const event = { source: "aws.cloudwatch", "detail-type": "CloudWatch Alarm State Change", detail: { alarmName: spec?.AlarmName, state: { value: "ALARM" } } };
    expect(matchesPattern(validatePattern(alarmStateChangePattern("ebb-demo-")), event)).toBe(true);
  });

  it("add a target 5XX alarm when a threshold is configured", () => {
    const alarm = remediationSettingsSchema.parse({ alarm: { target5xxThreshold: 25 } }).alarm;
    expect(remediationAlarms("ebb-demo-", alarm, [target]).map((spec) => [spec.AlarmName, spec.MetricName, spec.Statistic, spec.Threshold])).toEqual([
      ["ebb-demo-unhealthy-hosts-web", "UnHealthyHostCount", "Maximum", 0],
      ["ebb-demo-target-5xx-web", "HTTPCode_Target_5XX_Count", "Sum", 25],
    ]);
  });
});
