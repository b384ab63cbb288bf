/** ARNs of what Ebb deploys and touches; names of Ebb's own resources are derived from the stage. */

export interface AwsLocation {
  readonly account: string;
  readonly region: string;
}

const NAME_LIMITS = { lambda: 64, stateMachine: 80, table: 255, role: 64, rule: 64, scalingPolicy: 255, alarm: 255 } as const;

function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

/** `ebb-<stage>-<suffix>`, checked against the AWS length limit of that kind of resource. */
export function resourceName(stage: string, suffix: string, kind: keyof typeof NAME_LIMITS): string {
  const name = `ebb-${stage}-${suffix}`;
  if (name.length > NAME_LIMITS[kind]) {
    throw new Error(`Resource name "${name}" is longer than the ${NAME_LIMITS[kind]} characters AWS allows for a ${kind}`);
  }
  return name;
}

function arn(location: AwsLocation, service: string, resource: string, account = location.account): string {
  return `arn:${partitionOf(location.region)}:${service}:${location.region}:${account}:${resource}`;
}

/** The group's UUID is unknown before it exists, hence the `*` in that position only. */
export function autoScalingGroupArn(location: AwsLocation, groupName: string): string {
  return arn(location, "autoscaling", `autoScalingGroup:*:autoScalingGroupName/${groupName}`);
}

const TARGET_GROUP_ARN = /^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:targetgroup\/[A-Za-z0-9-]{1,32}\/[0-9a-f]{16}$/;

export function isTargetGroupArn(value: string): boolean {
  return TARGET_GROUP_ARN.test(value);
}

/** A configured ARN is used as is; a name matches that target group under any id. */
export function targetGroupArn(location: AwsLocation, nameOrArn: string): string {
  return isTargetGroupArn(nameOrArn) ? nameOrArn : arn(location, "elasticloadbalancing", `targetgroup/${nameOrArn}/*`);
}

/** Whether the grant for a configured target group (name or ARN) covers the given target group ARN. */
export function targetGroupGrants(location: AwsLocation, configured: string, arn: string): boolean {
  const granted = targetGroupArn(location, configured);
  return granted.endsWith("/*") ? isTargetGroupArn(arn) && arn.startsWith(granted.slice(0, -1)) : granted === arn;
}

export function launchTemplateArn(location: AwsLocation, launchTemplateId: string): string {
  return arn(location, "ec2", `launch-template/${launchTemplateId}`);
}

export function tableArn(location: AwsLocation, tableName: string): string {
  return arn(location, "dynamodb", `table/${tableName}`);
}

export function functionArn(location: AwsLocation, functionName: string): string {
  return arn(location, "lambda", `function:${functionName}`);
}

export function stateMachineArn(location: AwsLocation, stateMachineName: string): string {
  return arn(location, "states", `stateMachine:${stateMachineName}`);
}

export function executionArn(location: AwsLocation, stateMachineName: string, executionName: string): string {
  return arn(location, "states", `execution:${stateMachineName}:${executionName}`);
}

/** Every execution of the state machine (an IAM resource). */
export function executionsArn(location: AwsLocation, stateMachineName: string): string {
  return executionArn(location, stateMachineName, "*");
}

/** AWS-owned documents (AWS-RunShellScript...) live in no account. */
export function ssmDocumentArn(location: AwsLocation, documentName: string): string {
  const owner = /^(AWS|Amazon)/.test(documentName) ? "" : location.account;
  return arn(location, "ssm", `document/${documentName}`, owner);
}

export function instancesArn(location: AwsLocation): string {
  return arn(location, "ec2", "instance/*");
}

/** The stage's event bus, configured by name (or already an ARN). */
export function eventBusArn(location: AwsLocation, nameOrArn: string): string {
  return nameOrArn.startsWith("arn:") ? nameOrArn : arn(location, "events", `event-bus/${nameOrArn}`);
}

export function eventRuleArn(location: AwsLocation, ruleName: string): string {
  return arn(location, "events", `rule/${ruleName}`);
}

const CONSOLE_HOSTS: Readonly<Record<string, string>> = {
  aws: "console.aws.amazon.com",
  "aws-cn": "console.amazonaws.cn",
  "aws-us-gov": "console.amazonaws-us-gov.com",
};

export function stateMachineConsoleUrl(location: AwsLocation, stateMachine: string): string {
  const host = CONSOLE_HOSTS[partitionOf(location.region)] ?? "console.aws.amazon.com";
  return `https://${location.region}.${host}/states/home?region=${location.region}#/statemachines/view/${encodeURIComponent(stateMachine)}`;
}
