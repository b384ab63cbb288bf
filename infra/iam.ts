import { LeastPrivilegeError } from "./errors.ts";

/**
 * IAM statements in the shape `sst.aws.Function` takes as `permissions`; `policyDocument`
 * turns them into a JSON policy for roles of our own (the state machines').
 */
export interface PolicyCondition {
  readonly test: string;
  readonly variable: string;
  readonly values: readonly string[];
}

export interface PolicyStatement {
  readonly effect?: "allow" | "deny";
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  readonly conditions?: readonly PolicyCondition[];
}

/**
 * What a Lambda function may touch; each function lists the groups it needs. Groups hold only
 * actions core/ really calls, split finely enough that a handler gets no action it never uses.
 */
export const PERMISSION_GROUPS = [
  "read-group",
  "read-targets",
  "read-metrics",
  "read-alarms",
  "read-launch-templates",
  "read-instances",
  "read-instance-status",
  "read-drain-signals",
  "read-lifecycle-hooks",
  "read-group-instances",
  "update-group",
  "set-desired-capacity",
  "terminate-instances",
  "suspend-processes",
  "set-instance-health",
  "lifecycle-actions",
  "standby",
  "launch-template",
  "register-targets",
  "deregister-targets",
  "target-group-attributes",
  "drain",
  "lock",
  "release-lock",
  "deploy-records",
  "describe-deploy-execution",
  "start-remediation",
  "publish-metrics",
  "start-hook-workflows",
  "read-hook-workflows",
  "idempotency",
  "progress-events",
] as const;
export type PermissionGroup = (typeof PERMISSION_GROUPS)[number];

/** Every ARN a function may be granted, computed from the stage configuration. */
export interface FleetScope {
  readonly autoScalingGroupNames: readonly string[];
  readonly autoScalingGroupArns: readonly string[];
  readonly launchTemplateArns: readonly string[];
  /** Roles of the launch templates' instance profiles (iam:PassRole); empty when they have none. */
  readonly instanceRoleArns: readonly string[];
  readonly targetGroupArns: readonly string[];
  readonly drainDocumentArn: string;
  readonly instancesArn: string;
  readonly lockTableArn: string;
  readonly deployTableArn: string;
  /** Executions of the rolling-deploy state machine (the settle step confirms one really stopped). */
  readonly deployExecutionsArn: string;
  /** The remediate state machine the alarm handler starts. */
  readonly remediationStateMachineArn: string;
  /** The namespace Ebb publishes its own metrics in (FleetWideOutage). */
  readonly metricNamespace: string;
  /** The lifecycle hook workflows (launch-hook, terminate-hook) the lifecycle event handler starts. */
  readonly hookWorkflowArns: readonly string[];
  /** Executions of the hook workflows (the reconciler reads which instance a running one is for). */
  readonly hookExecutionsArns: readonly string[];
  readonly idempotencyTableArn: string;
  /** The bus Ebb's progress events go to (core/progress-events). */
  readonly eventBusArn: string;
}

/** AWS supports no resource-level scoping for these reads, so `*` is the only option. */
export const UNSCOPED_READS = {
  "read-group": ["autoscaling:DescribeAutoScalingGroups"],
  "read-targets": [
    "elasticloadbalancing:DescribeTargetHealth",
    "elasticloadbalancing:DescribeTargetGroups",
    "elasticloadbalancing:DescribeTargetGroupAttributes",
  ],
  "read-metrics": ["cloudwatch:GetMetricData"],
  "read-alarms": ["cloudwatch:DescribeAlarms", "cloudwatch:DescribeAlarmHistory"],
  "read-launch-templates": ["ec2:DescribeLaunchTemplates", "ec2:DescribeLaunchTemplateVersions"],
  "read-instances": ["ec2:DescribeInstances"],
  // Whether a draining host is dead (its status check impaired): its drain then ends at once.
  "read-instance-status": ["ec2:DescribeInstanceStatus"],
  // Which instances can take the drain signal, and whether the app took it.
  "read-drain-signals": ["ssm:DescribeInstanceInformation", "ssm:ListCommandInvocations"],
  // A lifecycle action's hook: its HeartbeatTimeout and GlobalTimeout.
  "read-lifecycle-hooks": ["autoscaling:DescribeLifecycleHooks"],
  // Which group an instance named by an operator belongs to.
  "read-group-instances": ["autoscaling:DescribeAutoScalingInstances"],
} as const satisfies Partial<Record<PermissionGroup, readonly string[]>>;

/** The Auto Scaling writes, each scoped to the stage's groups. */
export const AUTO_SCALING_MUTATIONS = {
  "update-group": ["autoscaling:UpdateAutoScalingGroup"],
  "set-desired-capacity": ["autoscaling:SetDesiredCapacity"],
  "terminate-instances": ["autoscaling:TerminateInstanceInAutoScalingGroup"],
  "suspend-processes": ["autoscaling:SuspendProcesses", "autoscaling:ResumeProcesses"],
  "set-instance-health": ["autoscaling:SetInstanceHealth"],
  "lifecycle-actions": ["autoscaling:CompleteLifecycleAction", "autoscaling:RecordLifecycleActionHeartbeat"],
  "standby": ["autoscaling:EnterStandby"],
} as const satisfies Partial<Record<PermissionGroup, readonly string[]>>;

/**
 * The lock is taken and renewed by the steps that start work and released only by the ones that
 * end it; deploy records are never deleted (they are the audit log).
 */
const ITEM_READ_WRITE = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"] as const;

/**
 * Writes granted on `*` only together with a condition key that narrows them to what Ebb owns:
 * PutMetricData to one metric namespace; RunInstances (which AWS checks when an ASG is pointed at
 * a launch template version) to the stage's launch templates; CreateTags to tagging instances as
 * they are launched.
 */
const CONDITION_SCOPED_WRITES: Readonly<Record<string, string>> = {
  "cloudwatch:PutMetricData": "cloudwatch:namespace",
  "ec2:RunInstances": "ec2:LaunchTemplate",
  "ec2:CreateTags": "ec2:CreateAction",
};

/**
 * What a Step Functions role needs to deliver execution logs to CloudWatch Logs. AWS supports
 * neither resource scoping nor condition keys for them, so they are only granted when a stage
 * opts into workflow logging (and the least-privilege check is told so explicitly).
 */
export const LOG_DELIVERY_ACTIONS = [
  "logs:CreateLogDelivery",
  "logs:GetLogDelivery",
  "logs:UpdateLogDelivery",
  "logs:DeleteLogDelivery",
  "logs:ListLogDeliveries",
  "logs:PutResourcePolicy",
  "logs:DescribeResourcePolicies",
  "logs:DescribeLogGroups",
] as const;

/** The rule Step Functions manages to learn when a `.sync` child execution ends. */
export const SYNC_EXECUTION_RULE = "StepFunctionsGetEventsForStepFunctionsExecutionRule";

function groupStatements(group: PermissionGroup, scope: FleetScope): PolicyStatement[] {
  switch (group) {
    case "read-group":
    case "read-targets":
    case "read-metrics":
    case "read-alarms":
    case "read-launch-templates":
    case "read-instances":
    case "read-instance-status":
    case "read-drain-signals":
    case "read-lifecycle-hooks":
    case "read-group-instances":
      return [{ actions: [...UNSCOPED_READS[group]], resources: ["*"] }];
    case "update-group":
    case "set-desired-capacity":
    case "terminate-instances":
    case "suspend-processes":
    case "set-instance-health":
    case "lifecycle-actions":
    case "standby":
      return [{ actions: [...AUTO_SCALING_MUTATIONS[group]], resources: [...scope.autoScalingGroupArns] }];
    case "launch-template":
      return [
        {
          actions: ["ec2:RunInstances"],
          resources: ["*"],
          conditions: [{ test: "ArnEquals", variable: "ec2:LaunchTemplate", values: [...scope.launchTemplateArns] }],
        },
        {
          actions: ["ec2:CreateTags"],
          resources: ["*"],
          conditions: [{ test: "StringEquals", variable: "ec2:CreateAction", values: ["RunInstances"] }],
        },
        ...(scope.instanceRoleArns.length === 0
          ? []
          : [
              {
                actions: ["iam:PassRole"],
                resources: [...scope.instanceRoleArns],
                conditions: [{ test: "StringEquals", variable: "iam:PassedToService", values: ["ec2.amazonaws.com"] }],
              },
            ]),
      ];
    case "register-targets":
      return [{ actions: ["elasticloadbalancing:RegisterTargets"], resources: [...scope.targetGroupArns] }];
    case "deregister-targets":
      return [{ actions: ["elasticloadbalancing:DeregisterTargets"], resources: [...scope.targetGroupArns] }];
    case "target-group-attributes":
      return [{ actions: ["elasticloadbalancing:ModifyTargetGroupAttributes"], resources: [...scope.targetGroupArns] }];
    case "drain":
      // The tag condition would never match the document, so the two resources need two statements.
      return [
        { actions: ["ssm:SendCommand"], resources: [scope.drainDocumentArn] },
        {
          actions: ["ssm:SendCommand"],
          resources: [scope.instancesArn],
          conditions: [
            {
              test: "StringEquals",
              variable: "ssm:resourceTag/aws:autoscaling:groupName",
              values: [...scope.autoScalingGroupNames],
            },
          ],
        },
      ];
    case "lock":
      return [{ actions: [...ITEM_READ_WRITE], resources: [scope.lockTableArn] }];
    case "release-lock":
      return [{ actions: ["dynamodb:DeleteItem"], resources: [scope.lockTableArn] }];
    case "deploy-records":
      return [{ actions: [...ITEM_READ_WRITE], resources: [scope.deployTableArn] }];
    case "describe-deploy-execution":
      return [{ actions: ["states:DescribeExecution"], resources: [scope.deployExecutionsArn] }];
    case "start-remediation":
      return [{ actions: ["states:StartExecution"], resources: [scope.remediationStateMachineArn] }];
    case "publish-metrics":
      return [{ actions: ["cloudwatch:PutMetricData"], resources: ["*"], conditions: [{ test: "StringEquals", variable: "cloudwatch:namespace", values: [scope.metricNamespace] }] }];
    case "start-hook-workflows":
      return [{ actions: ["states:StartExecution"], resources: [...scope.hookWorkflowArns] }];
    case "read-hook-workflows":
      return [
        { actions: ["states:ListExecutions"], resources: [...scope.hookWorkflowArns] },
        { actions: ["states:DescribeExecution"], resources: [...scope.hookExecutionsArns] },
      ];
    case "idempotency":
      // Powertools Idempotency reads, writes, updates and (on a failed handler) deletes its record.
      return [{ actions: [...ITEM_READ_WRITE, "dynamodb:DeleteItem"], resources: [scope.idempotencyTableArn] }];
    case "progress-events":
      return [{ actions: ["events:PutEvents"], resources: [scope.eventBusArn] }];
  }
}

/** The statements for a function that needs the given groups, in group order, without duplicates. */
export function functionStatements(groups: readonly PermissionGroup[], scope: FleetScope): PolicyStatement[] {
  const wanted = new Set(groups);
  return PERMISSION_GROUPS.filter((group) => wanted.has(group)).flatMap((group) => groupStatements(group, scope));
}

export interface StateMachineGrants {
  readonly functionArns: readonly string[];
  readonly childStateMachineArns: readonly string[];
  readonly childExecutionArns: readonly string[];
  readonly syncRuleArn: string;
  readonly logDelivery: boolean;
}

/** The role of one state machine: only the functions and child machines its definition names. */
export function stateMachineStatements(grants: StateMachineGrants): PolicyStatement[] {
  const statements: PolicyStatement[] = [];
  if (grants.functionArns.length > 0) {
    statements.push({
      actions: ["lambda:InvokeFunction"],
      resources: grants.functionArns.flatMap((arn) => [arn, `${arn}:*`]),
    });
  }
  if (grants.childStateMachineArns.length > 0) {
    statements.push(
      { actions: ["states:StartExecution"], resources: [...grants.childStateMachineArns] },
      { actions: ["states:DescribeExecution", "states:StopExecution"], resources: [...grants.childExecutionArns] },
      { actions: ["events:PutTargets", "events:PutRule", "events:DescribeRule"], resources: [grants.syncRuleArn] },
    );
  }
  if (grants.logDelivery) statements.push({ actions: [...LOG_DELIVERY_ACTIONS], resources: ["*"] });
  return statements;
}

const READ_VERB = /^(Describe|Get|List|BatchGet)/;

export function isReadAction(action: string): boolean {
  const [service, verb] = action.split(":");
  return service !== undefined && service !== "*" && verb !== undefined && READ_VERB.test(verb);
}

/** `*`, or an ARN that names no resource at all (`arn:aws:autoscaling:us-east-1:123456789012:*`). */
export function isWildcardResource(resource: string): boolean {
  return resource === "*" || /^arn:[^:]*:[^:]*:[^:]*:[^:]*:\*$/.test(resource);
}

function narrowedByCondition(action: string, statement: PolicyStatement): boolean {
  const key = CONDITION_SCOPED_WRITES[action];
  return key !== undefined && (statement.conditions ?? []).some((condition) => condition.variable === key && condition.values.length > 0);
}

export interface LeastPrivilegeOptions {
  /** Writes the caller knowingly grants on `*` because AWS offers nothing narrower. */
  readonly acceptedUnscopedWrites?: readonly string[];
}

/**
 * Throws LeastPrivilegeError listing every allowed non-read action on a wildcard resource,
 * except condition-narrowed writes and writes the caller explicitly accepts.
 */
export function assertLeastPrivilege(statements: readonly PolicyStatement[], options: LeastPrivilegeOptions = {}): void {
  const accepted = new Set(options.acceptedUnscopedWrites ?? []);
  const violations: string[] = [];
  statements.forEach((statement, index) => {
    if (statement.effect === "deny") return;
    if (statement.resources.length === 0) violations.push(`statement ${index} names no resource`);
    const wildcard = statement.resources.find(isWildcardResource);
    if (wildcard === undefined) return;
    for (const action of statement.actions) {
      if (isReadAction(action) || accepted.has(action) || narrowedByCondition(action, statement)) continue;
      violations.push(`statement ${index} allows ${action} on ${wildcard}`);
    }
  });
  if (violations.length > 0) throw new LeastPrivilegeError(violations);
}

export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: ReadonlyArray<{
    Effect: "Allow" | "Deny";
    Action: string[];
    Resource: string[];
    Condition?: Record<string, Record<string, string[]>>;
  }>;
}

export function policyDocument(statements: readonly PolicyStatement[]): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: statements.map((statement) => {
      const conditions: Record<string, Record<string, string[]>> = {};
      for (const condition of statement.conditions ?? []) {
        conditions[condition.test] = { ...conditions[condition.test], [condition.variable]: [...condition.values] };
      }
      return {
        Effect: statement.effect === "deny" ? "Deny" : "Allow",
        Action: [...statement.actions],
        Resource: [...statement.resources],
        ...(statement.conditions === undefined ? {} : { Condition: conditions }),
      };
    }),
  };
}
