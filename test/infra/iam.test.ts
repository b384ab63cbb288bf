import { describe, expect, it } from "vitest";
import { LeastPrivilegeError } from "../../infra/errors.ts";
import {
  AUTO_SCALING_MUTATIONS,
  LOG_DELIVERY_ACTIONS,
  PERMISSION_GROUPS,
  assertLeastPrivilege,
  functionStatements,
  isReadAction,
  policyDocument,
  stateMachineStatements,
  UNSCOPED_READS,
  type FleetScope,
  type PermissionGroup,
  type PolicyStatement,
} from "../../infra/iam.ts";

const scope: FleetScope = {
  remediationStateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:ebb-dev-remediate",
  metricNamespace: "Ebb",
  autoScalingGroupNames: ["ebb-demo-asg"],
  autoScalingGroupArns: ["arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:*:autoScalingGroupName/ebb-demo-asg"],
  launchTemplateArns: ["arn:aws:ec2:us-east-1:123456789012:launch-template/lt-0123456789abcdef0"],
  instanceRoleArns: ["arn:aws:iam::123456789012:role/ebb-app-instance"],
  targetGroupArns: ["arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/ebb-app-tg/*"],
  drainDocumentArn: "arn:aws:ssm:us-east-1::document/AWS-RunShellScript",
  instancesArn: "arn:aws:ec2:us-east-1:123456789012:instance/*",
  lockTableArn: "arn:aws:dynamodb:us-east-1:123456789012:table/ebb-dev-locks",
  deployTableArn: "arn:aws:dynamodb:us-east-1:123456789012:table/ebb-dev-deploys",
  deployExecutionsArn: "arn:aws:states:us-east-1:123456789012:execution:ebb-dev-rolling-deploy:*",
  hookWorkflowArns: ["arn:aws:states:us-east-1:123456789012:stateMachine:ebb-dev-launch-hook", "arn:aws:states:us-east-1:123456789012:stateMachine:ebb-dev-terminate-hook"],
  hookExecutionsArns: ["arn:aws:states:us-east-1:123456789012:execution:ebb-dev-launch-hook:*", "arn:aws:states:us-east-1:123456789012:execution:ebb-dev-terminate-hook:*"],
  idempotencyTableArn: "arn:aws:dynamodb:us-east-1:123456789012:table/ebb-dev-idempotency",
  eventBusArn: "arn:aws:events:us-east-1:123456789012:event-bus/default",
};

const allowedOn = (statements: readonly PolicyStatement[], action: string): string[] =>
  statements.filter((statement) => statement.actions.includes(action)).flatMap((statement) => [...statement.resources]);

describe("function statements", () => {
  const everything = functionStatements(PERMISSION_GROUPS, scope);

  it("pass the least-privilege check with every group granted", () => {
    expect(() => assertLeastPrivilege(everything)).not.toThrow();
  });

  it("scope Auto Scaling mutations to the configured groups", () => {
    for (const action of Object.values(AUTO_SCALING_MUTATIONS).flat()) expect(allowedOn(everything, action)).toEqual(scope.autoScalingGroupArns);
  });

  it("allow launching only from the stage's launch templates, and passing only its instance roles to EC2", () => {
    const [run, tag, passRole] = functionStatements(["launch-template"], scope);
    expect(run?.conditions).toEqual([{ test: "ArnEquals", variable: "ec2:LaunchTemplate", values: scope.launchTemplateArns }]);
    expect(tag?.conditions).toEqual([{ test: "StringEquals", variable: "ec2:CreateAction", values: ["RunInstances"] }]);
    expect(passRole?.resources).toEqual(scope.instanceRoleArns);
    expect(functionStatements(["launch-template"], { ...scope, instanceRoleArns: [] }).flatMap((statement) => statement.actions)).not.toContain(
      "iam:PassRole",
    );
    expect(() => assertLeastPrivilege([{ ...(run as PolicyStatement), conditions: [] }])).toThrow(/ec2:RunInstances on \*/);
  });

  it("scope target registration and deregistration, granted separately, to the configured target groups", () => {
    expect(functionStatements(["register-targets"], scope).flatMap((statement) => statement.actions)).toEqual(["elasticloadbalancing:RegisterTargets"]);
    expect(allowedOn(everything, "elasticloadbalancing:DeregisterTargets")).toEqual(scope.targetGroupArns);
    expect(allowedOn(everything, "elasticloadbalancing:RegisterTargets")).toEqual(scope.targetGroupArns);
  });

  it("scope ModifyTargetGroupAttributes to the configured target groups, and DescribeExecution to the deploy's and the hook workflows' executions", () => {
    expect(allowedOn(everything, "elasticloadbalancing:ModifyTargetGroupAttributes")).toEqual(scope.targetGroupArns);
    expect(allowedOn(everything, "states:DescribeExecution")).toEqual([scope.deployExecutionsArn, ...scope.hookExecutionsArns]);
    expect(allowedOn(everything, "states:ListExecutions")).toEqual(scope.hookWorkflowArns);
    expect(() => assertLeastPrivilege([{ actions: ["elasticloadbalancing:ModifyTargetGroupAttributes"], resources: ["*"] }])).toThrow(/ModifyTargetGroupAttributes on \*/);
  });

  it("scope SendCommand to the drain document and to instances of the configured groups", () => {
    const sendCommand = everything.filter((statement) => statement.actions.includes("ssm:SendCommand"));
    expect(sendCommand.map((statement) => statement.resources)).toEqual([[scope.drainDocumentArn], [scope.instancesArn]]);
    expect(sendCommand[1]?.conditions).toEqual([
      { test: "StringEquals", variable: "ssm:resourceTag/aws:autoscaling:groupName", values: ["ebb-demo-asg"] },
    ]);
  });

  it("allow PutMetricData only into the fleet metrics namespace", () => {
    const [put] = functionStatements(["publish-metrics"], scope);
    expect(put?.conditions).toEqual([{ test: "StringEquals", variable: "cloudwatch:namespace", values: ["Ebb"] }]);
    expect(() => assertLeastPrivilege([{ ...(put as PolicyStatement), conditions: [] }])).toThrow(/cloudwatch:PutMetricData on \*/);
  });

  it("limit table access to the lock, deploy and idempotency tables, and never delete a deploy record", () => {
    expect(allowedOn(everything, "dynamodb:PutItem")).toEqual([scope.lockTableArn, scope.deployTableArn, scope.idempotencyTableArn]);
    // Powertools Idempotency deletes the record of a handler that failed, so a retry runs again.
    expect(allowedOn(everything, "dynamodb:DeleteItem")).toEqual([scope.lockTableArn, scope.idempotencyTableArn]);
  });

  it("grant only the groups asked for, reads being reads", () => {
    const reads = Object.keys(UNSCOPED_READS) as PermissionGroup[];
    const readOnly = functionStatements(reads, scope);
    expect(readOnly.flatMap((statement) => statement.actions).every(isReadAction)).toBe(true);
    expect(readOnly.flatMap((statement) => statement.actions)).toEqual(
      expect.arrayContaining([
        "cloudwatch:DescribeAlarmHistory",
        "ec2:DescribeLaunchTemplates",
        "ec2:DescribeLaunchTemplateVersions",
        "elasticloadbalancing:DescribeTargetGroupAttributes",
      ]),
    );
    expect(functionStatements([], scope)).toEqual([]);
    expect(functionStatements(["lock", "lock"], scope)).toHaveLength(1);
  });
});

describe("state machine statements", () => {
  const grants = {
    functionArns: ["arn:aws:lambda:us-east-1:123456789012:function:ebb-dev-check-drain"],
    childStateMachineArns: ["arn:aws:states:us-east-1:123456789012:stateMachine:ebb-dev-deploy-batch"],
    childExecutionArns: ["arn:aws:states:us-east-1:123456789012:execution:ebb-dev-deploy-batch:*"],
    syncRuleArn: "arn:aws:events:us-east-1:123456789012:rule/StepFunctionsGetEventsForStepFunctionsExecutionRule",
    logDelivery: false,
  };

  it("invoke only the named functions and start only the named children, with the .sync rule", () => {
    const statements = stateMachineStatements(grants);
    expect(allowedOn(statements, "lambda:InvokeFunction")).toEqual([grants.functionArns[0], `${grants.functionArns[0]}:*`]);
    expect(allowedOn(statements, "states:StartExecution")).toEqual(grants.childStateMachineArns);
    expect(allowedOn(statements, "states:DescribeExecution")).toEqual(grants.childExecutionArns);
    for (const action of ["events:PutTargets", "events:PutRule", "events:DescribeRule"]) {
      expect(allowedOn(statements, action)).toEqual([grants.syncRuleArn]);
    }
    expect(() => assertLeastPrivilege(statements)).not.toThrow();
  });

  it("need no events or states permissions without children", () => {
    const statements = stateMachineStatements({ ...grants, childStateMachineArns: [], childExecutionArns: [] });
    expect(statements.flatMap((statement) => statement.actions)).toEqual(["lambda:InvokeFunction"]);
  });

  it("grant log delivery on * only when logging is on, which must be accepted explicitly", () => {
    const statements = stateMachineStatements({ ...grants, logDelivery: true });
    expect(() => assertLeastPrivilege(statements)).toThrow(LeastPrivilegeError);
    expect(() => assertLeastPrivilege(statements, { acceptedUnscopedWrites: LOG_DELIVERY_ACTIONS })).not.toThrow();
  });
});

describe("assertLeastPrivilege", () => {
  it("lists every mutating action on a wildcard resource", () => {
    const statements: PolicyStatement[] = [
      { actions: ["autoscaling:DescribeAutoScalingGroups", "autoscaling:SetDesiredCapacity"], resources: ["*"] },
      { actions: ["elasticloadbalancing:DeregisterTargets"], resources: ["arn:aws:elasticloadbalancing:us-east-1:123456789012:*"] },
      { actions: ["autoscaling:*"], resources: ["*"] },
      { actions: ["*"], resources: ["*"] },
    ];
    let caught: unknown;
    try {
      assertLeastPrivilege(statements);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(LeastPrivilegeError);
    expect((caught as LeastPrivilegeError).violations).toEqual([
      "statement 0 allows autoscaling:SetDesiredCapacity on *",
      "statement 1 allows elasticloadbalancing:DeregisterTargets on arn:aws:elasticloadbalancing:us-east-1:123456789012:*",
      "statement 2 allows autoscaling:* on *",
      "statement 3 allows * on *",
    ]);
  });

  it("accepts reads on *, denies, and PutMetricData only when narrowed to a namespace", () => {
    expect(() =>
      assertLeastPrivilege([
        { actions: ["ec2:DescribeInstances", "cloudwatch:GetMetricData", "ssm:ListCommandInvocations"], resources: ["*"] },
        { effect: "deny", actions: ["*"], resources: ["*"] },
        {
          actions: ["cloudwatch:PutMetricData"],
          resources: ["*"],
          conditions: [{ test: "StringEquals", variable: "cloudwatch:namespace", values: ["Ebb/App"] }],
        },
      ]),
    ).not.toThrow();
    expect(() => assertLeastPrivilege([{ actions: ["cloudwatch:PutMetricData"], resources: ["*"] }])).toThrow(/PutMetricData on \*/);
  });

  it("rejects a statement without resources", () => {
    expect(() => assertLeastPrivilege([{ actions: ["ssm:SendCommand"], resources: [] }])).toThrow(/names no resource/);
  });
});

describe("policyDocument", () => {
  it("writes IAM JSON with conditions grouped by operator", () => {
    const [, instances] = functionStatements(["drain"], scope);
    expect(policyDocument([instances as PolicyStatement])).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Action: ["ssm:SendCommand"],
          Resource: [scope.instancesArn],
          Condition: { StringEquals: { "ssm:resourceTag/aws:autoscaling:groupName": ["ebb-demo-asg"] } },
        },
      ],
    });
  });
});
