import { describe, expect, it } from "vitest";
import { matchesPattern } from "../../emulator/events/pattern.ts";
import { validatePattern } from "../../emulator/events/pattern-validation.ts";
import { alarmStateChangePattern, eventRules, lifecycleActionPattern, stoppedExecutionPattern } from "../../infra/events.ts";

/** Sample events as the Auto Scaling and CloudWatch user guides document them. */
const lifecycleEvent = (detailType: string, groupName: string, transition: string, origin: string, destination: string) => ({
  version: "0",
  id: "12345678-1234-1234-1234-123456789012",
  "detail-type": detailType,
  source: "aws.autoscaling",
  account: "123456789012",
  time: "2026-01-01T00:05:00Z",
  region: "us-east-1",
  resources: [`arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:a1b2c3d4:autoScalingGroupName/${groupName}`],
  detail: {
    LifecycleActionToken: "87654321-4321-4321-4321-210987654321",
    AutoScalingGroupName: groupName,
    LifecycleHookName: "ebb-drain",
    EC2InstanceId: "i-1234567890abcdef0",
    LifecycleTransition: transition,
    NotificationMetadata: "",
    Origin: origin,
    Destination: destination,
  },
});
const launch = (group: string) => lifecycleEvent("EC2 Instance-launch Lifecycle Action", group, "autoscaling:EC2_INSTANCE_LAUNCHING", "EC2", "AutoScalingGroup");
const terminate = (group: string) => lifecycleEvent("EC2 Instance-terminate Lifecycle Action", group, "autoscaling:EC2_INSTANCE_TERMINATING", "AutoScalingGroup", "EC2");

const alarmEvent = (alarmName: string, value: string) => ({
  version: "0",
  id: "c4c1c1c9-6542-e61b-6ef0-8c4d36933a92",
  "detail-type": "CloudWatch Alarm State Change",
  source: "aws.cloudwatch",
  account: "123456789012",
  time: "2026-01-01T00:05:00Z",
  region: "us-east-1",
  resources: [`arn:aws:cloudwatch:us-east-1:123456789012:alarm:${alarmName}`],
  detail: {
    alarmName,
    state: { value, reason: "Threshold Crossed", timestamp: "2026-01-01T00:05:00.000+0000" },
    previousState: { value: "OK", reason: "Threshold Crossed", timestamp: "2026-01-01T00:00:00.000+0000" },
    configuration: { metrics: [] },
  },
});

describe("lifecycle action pattern", () => {
  const both = lifecycleActionPattern(["ebb-demo-asg", "ebb-canary-asg"]);

  it("is a pattern EventBridge accepts", () => {
    expect(() => validatePattern(both)).not.toThrow();
  });

  it("matches launch and terminate actions of the configured groups only", () => {
    expect(matchesPattern(validatePattern(both), launch("ebb-demo-asg"))).toBe(true);
    expect(matchesPattern(validatePattern(both), terminate("ebb-canary-asg"))).toBe(true);
    expect(matchesPattern(validatePattern(both), terminate("someone-elses-asg"))).toBe(false);
  });

  it("selects one transition when asked", () => {
    const launchOnly = validatePattern(lifecycleActionPattern(["ebb-demo-asg"], ["launch"]));
    expect(matchesPattern(launchOnly, launch("ebb-demo-asg"))).toBe(true);
    expect(matchesPattern(launchOnly, terminate("ebb-demo-asg"))).toBe(false);
  });

  it("ignores other Auto Scaling events", () => {
    const successful = { ...launch("ebb-demo-asg"), "detail-type": "EC2 Instance Launch Successful" };
    expect(matchesPattern(validatePattern(both), successful)).toBe(false);
  });

  it("refuses to build a pattern without groups", () => {
    expect(() => lifecycleActionPattern([])).toThrow(/at least one Auto Scaling group/);
  });
});

describe("alarm state change pattern", () => {
  const pattern = alarmStateChangePattern("ebb-demo-");

  it("matches the stage's alarms entering ALARM", () => {
    expect(matchesPattern(validatePattern(pattern), alarmEvent("ebb-demo-unhealthy-host", "ALARM"))).toBe(true);
  });

  it("ignores other states, other alarms and other sources", () => {
    expect(matchesPattern(validatePattern(pattern), alarmEvent("ebb-demo-unhealthy-host", "OK"))).toBe(false);
    expect(matchesPattern(validatePattern(pattern), alarmEvent("billing-ebb-demo-", "ALARM"))).toBe(false);
    expect(matchesPattern(validatePattern(pattern), { ...alarmEvent("ebb-demo-x", "ALARM"), source: "custom.app" })).toBe(false);
  });

  it("refuses an empty prefix, which would match every alarm", () => {
    expect(() => alarmStateChangePattern("")).toThrow(/must not be empty/);
  });
});

const rollingDeploy = "arn:aws:states:us-east-1:123456789012:stateMachine:ebb-dev-rolling-deploy";

/** The sample "Step Functions Execution Status Change" event of the Step Functions developer guide. */
const executionEvent = (stateMachineArn: string, status: string) => {
  const executionArn = `${stateMachineArn.replace(":stateMachine:", ":execution:")}:deploy-42`;
  return {
    version: "0",
    id: "315c1398-40ff-a850-213b-158f73e60175",
    "detail-type": "Step Functions Execution Status Change",
    source: "aws.states",
    account: "123456789012",
    time: "2026-01-01T00:05:00Z",
    region: "us-east-1",
    resources: [executionArn],
    detail: {
      executionArn,
      stateMachineArn,
      name: "deploy-42",
      status,
      startDate: 1767225600000,
      stopDate: status === "RUNNING" ? null : 1767225900000,
      input: "{}",
      inputDetails: { included: true },
      output: null,
      outputDetails: null,
    },
  };
};

describe("stopped execution pattern", () => {
  const pattern = validatePattern(stoppedExecutionPattern(rollingDeploy));

  // FAILED too: on AWS States.DataLimitExceeded and States.Runtime end the execution past every Catch
  // ("Error handling in Step Functions", https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html).
  it("matches rolling-deploy executions that were stopped, timed out or failed", () => {
    for (const status of ["ABORTED", "TIMED_OUT", "FAILED"]) expect(matchesPattern(pattern, executionEvent(rollingDeploy, status))).toBe(true);
  });

  it("ignores running and succeeded executions, and other state machines", () => {
    for (const status of ["RUNNING", "SUCCEEDED"]) expect(matchesPattern(pattern, executionEvent(rollingDeploy, status))).toBe(false);
    const batch = "arn:aws:states:us-east-1:123456789012:stateMachine:ebb-dev-deploy-batch";
    expect(matchesPattern(pattern, executionEvent(batch, "ABORTED"))).toBe(false);
  });

  it("refuses anything but a state machine ARN", () => {
    expect(() => stoppedExecutionPattern("arn:aws:states:us-east-1:123456789012:stateMachine:*")).toThrow(/not a state machine ARN/);
    expect(() => stoppedExecutionPattern("ebb-dev-rolling-deploy")).toThrow(/not a state machine ARN/);
  });
});

describe("eventRules", () => {
  it("routes each kind of event to exactly one handler", () => {
    const rules = eventRules({ autoScalingGroups: ["ebb-demo-asg"], alarmNamePrefix: "ebb-demo-", rollingDeployArn: rollingDeploy });
    const samples = [launch("ebb-demo-asg"), terminate("ebb-demo-asg"), alarmEvent("ebb-demo-x", "ALARM"), executionEvent(rollingDeploy, "ABORTED")];
    for (const sample of samples) {
      const targets = rules.filter((rule) => matchesPattern(validatePattern(rule.pattern), sample)).map((rule) => rule.targetFunction);
      expect(targets).toHaveLength(1);
    }
    expect(new Set(rules.map((rule) => rule.id)).size).toBe(rules.length);
  });
});
