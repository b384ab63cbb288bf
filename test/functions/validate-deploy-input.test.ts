import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from "@aws-sdk/client-auto-scaling";
import { CloudWatchClient, DescribeAlarmsCommand, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { EC2Client } from "@aws-sdk/client-ec2";
import { DescribeTargetGroupAttributesCommand, DescribeTargetGroupsCommand, ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { SSMClient } from "@aws-sdk/client-ssm";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { configureRuntime, resetRuntime } from "../../core/runtime.ts";
import { handler } from "../../functions/validate-deploy-input.ts";
import { lambdaContext } from "./support.ts";

const autoScaling = mockClient(AutoScalingClient);
const cloudWatch = mockClient(CloudWatchClient);
const elbv2 = mockClient(ElasticLoadBalancingV2Client);
const mocks = [autoScaling, cloudWatch, mockClient(EC2Client), elbv2, mockClient(SSMClient)];
const tg = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/chat/0123456789abcdef";
const context = lambdaContext("validate-deploy-input");

const configure = (stage: Record<string, unknown> = {}) =>
  configureRuntime({
    clientConfig: { region: "us-east-1", credentials: { accessKeyId: "AKIATEST", secretAccessKey: "test" } },
    clock: { now: () => new Date("2026-01-01T00:00:00Z") },
    stage: { stage: "test", autoScalingGroups: ["web"], tables: { locks: "l-t", deploys: "d-t", idempotency: "i-t" }, ...stage },
    logLevel: "SILENT",
  });

beforeEach(() => {
  for (const mock of mocks) mock.reset();
  configure();
});
afterEach(() => resetRuntime());

const group = {
  AutoScalingGroupName: "web",
  MinSize: 0,
  MaxSize: 20,
  DesiredCapacity: 12,
  DefaultCooldown: 300,
  AvailabilityZones: ["us-east-1a"],
  HealthCheckType: "ELB",
  TargetGroupARNs: [tg],
  CreatedTime: new Date("2026-01-01T00:00:00Z"),
  Instances: [{ InstanceId: "i-a", AvailabilityZone: "us-east-1a", LifecycleState: "InService" as const, HealthStatus: "Healthy", ProtectedFromScaleIn: false }],
  LaunchTemplate: { LaunchTemplateId: "lt-0123456789abcdef0", LaunchTemplateName: "app", Version: "1" },
};

describe("validate-deploy-input", () => {
  it("lists every mistake in one InvalidDeployInput and calls no AWS API at all", async () => {
    const error = await handler({ input: { autoScalingGroupName: "web", batchSize: "150%", mode: "rolling", minHealthyPercent: 120 }, executionName: "d-1" }, context).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toBe("InvalidDeployInput");
    expect((error as Error).message).toMatch(/3 problems: \(1\) batchSize: .*150%.*; \(2\) mode: .*; \(3\) minHealthyPercent: /);
    for (const mock of mocks) expect(mock).not.toHaveReceivedAnyCommand();
  });

  it("refuses an Auto Scaling group the stage does not allow", async () => {
    await expect(handler({ input: { autoScalingGroupName: "billing" }, executionName: "d-2" }, context)).rejects.toMatchObject({ name: "AutoScalingGroupNotAllowed" });
    for (const mock of mocks) expect(mock).not.toHaveReceivedAnyCommand();
  });

  it("names unknown fields, nested ones included", async () => {
    await expect(handler({ input: { autoScalingGroupName: "web", drain: { timeout: 3 }, colour: "blue" }, executionName: "d-3" }, context)).rejects.toThrow(/drain: Unrecognized key: "timeout".*Unrecognized key: "colour"|colour.*timeout/);
  });

  it("checks what the input names (alarms) and resolves defaults, read-only", async () => {
    autoScaling.on(DescribeAutoScalingGroupsCommand).resolves({ AutoScalingGroups: [group] });
    cloudWatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [{ AlarmName: "web-5xx", StateValue: "OK" }] });
    await expect(
      handler({ input: { autoScalingGroupName: "web", launchTemplateVersion: "2", rollbackAlarms: ["web-5xx", "web-typo"] }, executionName: "d-4" }, context),
    ).rejects.toThrow(/rollbackAlarms.1: alarm "web-typo" does not exist/);

    const resolved = await handler({ input: { autoScalingGroupName: "web", launchTemplateVersion: "2", drain: { timeoutSeconds: 120 } }, executionName: "d-5" }, context);
    expect(resolved).toMatchObject({
      deployId: "d-5",
      targetVersion: "2",
      dryRun: false,
      input: { batchSize: "25%", mode: "replace", drain: { timeoutSeconds: 120, maxRemainingConnections: 0, signal: "ssm" } },
    });
    expect(autoScaling).toHaveReceivedCommandTimes(DescribeAutoScalingGroupsCommand, 2);
  });

  it("refuses a group without any target group: verifying health over none would pass vacuously", async () => {
    autoScaling.on(DescribeAutoScalingGroupsCommand).resolves({ AutoScalingGroups: [{ ...group, TargetGroupARNs: [] }] });
    configure({ targetRegistration: "ebb" });
    await expect(handler({ input: { autoScalingGroupName: "web", launchTemplateVersion: "2" }, executionName: "d-6" }, context)).rejects.toThrow(
      /autoScalingGroupName: "web" has no target group and the stage's targetGroupArns is empty/,
    );
  });

  // Deregistration delay: when it expires an ALB closes what is still open — Elastic Load Balancing User Guide,
  // "Target groups for your Application Load Balancers", Deregistration delay:
  // https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-target-groups.html#deregistration-delay
  it("with raiseDeregistrationDelay off, refuses a delay shorter than the drain, naming the delay, the predicted drain and the fix", async () => {
    configure({ raiseDeregistrationDelay: false });
    autoScaling.on(DescribeAutoScalingGroupsCommand).resolves({ AutoScalingGroups: [group] });
    elbv2.on(DescribeTargetGroupsCommand).resolves({ TargetGroups: [{ TargetGroupArn: tg, HealthCheckIntervalSeconds: 30, HealthyThresholdCount: 2 }] });
    elbv2.on(DescribeTargetGroupAttributesCommand).resolves({ Attributes: [{ Key: "deregistration_delay.timeout_seconds", Value: "30" }] });
    cloudWatch.on(GetMetricDataCommand).resolves({ MetricDataResults: [{ Id: "c0", Timestamps: [new Date("2025-12-31T23:59:50Z")], Values: [1000], StatusCode: "Complete" }] });
    const error = (await handler({ input: { autoScalingGroupName: "web", launchTemplateVersion: "2" }, executionName: "d-7" }, context).catch((caught: unknown) => caught)) as Error;
    expect(error.name).toBe("InvalidDeployInput");
    expect(error.message).toMatch(/deregistration_delay.timeout_seconds 30 s, shorter than the drain \(predicted 25 s .* up to drain.timeoutSeconds 300 s\)/);
    expect(error.message).toMatch(/raiseDeregistrationDelay to true/);
    expect(error.message).toMatch(/at least 300 s/);
  });
});
