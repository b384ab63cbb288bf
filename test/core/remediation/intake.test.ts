import { describe, expect, it } from "vitest";
import { episodeName, remediationInputOf } from "../../../core/remediation/intake.ts";
import { recordRead } from "../../../core/remediation/fleet-health.ts";

/** Shaped like the "Single Metric Alarm" example of the CloudWatch user guide, "Alarm events and EventBridge". */
const alarmEvent = (overrides: { value?: string; dimensions?: Record<string, string>; timestamp?: string } = {}) => ({
  version: "0",
  id: "c4c1c1c9-6542-e61b-6ef0-8c4d36933a92",
  "detail-type": "CloudWatch Alarm State Change",
  source: "aws.cloudwatch",
  account: "123456789012",
  time: "2026-01-01T00:13:00Z",
  region: "us-east-1",
  resources: ["arn:aws:cloudwatch:us-east-1:123456789012:alarm:ebb-demo-unhealthy-hosts-web"],
  detail: {
    alarmName: "ebb-demo-unhealthy-hosts-web",
    configuration: {
      metrics: [
        {
          id: "30b6c6b2-a864-43a2-4877-c09a1afc3b87",
          metricStat: {
            metric: {
              dimensions: overrides.dimensions ?? { TargetGroup: "targetgroup/web/0123456789abcdef", LoadBalancer: "app/web/0123456789abcdef" },
              name: "UnHealthyHostCount",
              namespace: "AWS/ApplicationELB",
            },
            period: 60,
            stat: "Maximum",
          },
          returnData: true,
        },
      ],
    },
    previousState: { reason: "Threshold Crossed", timestamp: "2026-01-01T00:03:00.000+0000", value: "OK" },
    state: { reason: "Threshold Crossed", timestamp: overrides.timestamp ?? "2026-01-01T00:13:00.000+0000", value: overrides.value ?? "ALARM" },
  },
});

describe("alarm intake", () => {
  it("derives the workflow input from the event alone: the same episode gives the same execution name and input", () => {
    const input = remediationInputOf(alarmEvent());
    expect(input).toEqual({
      remediationId: "ebb-demo-unhealthy-hosts-web-2026-01-01T00-13-00-000-0000",
      alarmName: "ebb-demo-unhealthy-hosts-web",
      alarmChangedAt: "2026-01-01T00:13:00.000+0000",
      targetGroupArn: "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/0123456789abcdef",
    });
    expect(remediationInputOf(structuredClone(alarmEvent()))).toEqual(input);
    // A later episode of the same alarm is a new execution.
    expect(remediationInputOf(alarmEvent({ timestamp: "2026-01-01T01:00:00.000+0000" }))?.remediationId).not.toBe(input?.remediationId);
  });

  it("keeps execution names within Step Functions' 80 characters and alphabet, distinct for distinct episodes", () => {
    const long = "ebb-prod-unhealthy-hosts-a-target-group-with-a-rather-long-name-indeed";
    const [first, second] = [episodeName(long, "2026-01-01T00:13:00.000+0000"), episodeName(long, "2026-01-01T00:14:00.000+0000")];
    for (const name of [first, second]) expect(name).toMatch(/^[A-Za-z0-9_-]{1,80}$/);
    expect(first).not.toBe(second);
  });

  it("ignores OK transitions and alarms on no target group; rejects a malformed event listing the problems", () => {
    expect(remediationInputOf(alarmEvent({ value: "OK" }))).toBeUndefined();
    expect(remediationInputOf(alarmEvent({ dimensions: { Service: "chat" } }))).toBeUndefined();
    expect(() => remediationInputOf({ source: "aws.cloudwatch", detail: {} })).toThrow(/remediate-alarm received an invalid event: \d+ problems/);
  });
});

describe("a host's reads", () => {
  const at = (seconds: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, seconds));
  it("count unhealthy reads at most once per spacing, start over on a healthy read, and count every change", () => {
    let history = recordRead(undefined, "unhealthy", at(0), 30);
    history = recordRead(history, "unhealthy", at(10), 30);
    expect(history.unhealthyReads).toBe(1);
    history = recordRead(history, "unhealthy", at(30), 30);
    expect(history.unhealthyReads).toBe(2);
    history = recordRead(history, "healthy", at(40), 30);
    expect(history).toMatchObject({ unhealthyReads: 0, transitions: 1, everHealthy: true });
    history = recordRead(history, "pending", at(50), 30);
    history = recordRead(history, "unhealthy", at(60), 30);
    expect(history).toMatchObject({ unhealthyReads: 1, transitions: 2 });
  });
});
