/**
 * The EventBridge event patterns Ebb deploys, as plain JSON data: infra/ puts them on AWS rules
 * and the emulator's local event bus routes its events with the very same objects.
 */

export type PatternCondition = string | { readonly prefix: string };
export interface EventPattern {
  readonly [field: string]: EventPattern | readonly PatternCondition[];
}

export const LIFECYCLE_DETAIL_TYPES = {
  launch: "EC2 Instance-launch Lifecycle Action",
  terminate: "EC2 Instance-terminate Lifecycle Action",
} as const;
export type LifecycleTransition = keyof typeof LIFECYCLE_DETAIL_TYPES;

export const ALARM_STATE_CHANGE = "CloudWatch Alarm State Change";
export const EXECUTION_STATUS_CHANGE = "Step Functions Execution Status Change";
/**
 * How an execution can end without its own clean-up: stopped or timed out (none of its states
 * ran), or FAILED on an error no Catch takes on AWS (States.DataLimitExceeded, States.Runtime) or
 * in the clean-up itself. A FAILED run that did clean up is settled again harmlessly. SUCCEEDED
 * runs went through finish-deploy.
 */
export const STOPPED_EXECUTION_STATUSES = ["ABORTED", "TIMED_OUT", "FAILED"] as const;

function nonEmpty<T>(values: readonly T[], what: string): readonly T[] {
  // EventBridge rejects an empty array in a pattern, and an absent one would match everything.
  if (values.length === 0) throw new Error(`An event pattern needs at least one ${what}`);
  return values;
}

/** Lifecycle actions of the given transitions, only for the stage's Auto Scaling groups. */
export function lifecycleActionPattern(
  autoScalingGroups: readonly string[],
  transitions: readonly LifecycleTransition[] = ["launch", "terminate"],
): EventPattern {
  return {
    source: ["aws.autoscaling"],
    "detail-type": nonEmpty(transitions, "lifecycle transition").map((transition) => LIFECYCLE_DETAIL_TYPES[transition]),
    detail: { AutoScalingGroupName: [...nonEmpty(autoScalingGroups, "Auto Scaling group")] },
  };
}

/** Alarms whose name starts with the stage's prefix, entering ALARM. */
export function alarmStateChangePattern(alarmNamePrefix: string): EventPattern {
  if (alarmNamePrefix.length === 0) throw new Error("An alarm name prefix must not be empty (it would match every alarm)");
  return {
    source: ["aws.cloudwatch"],
    "detail-type": [ALARM_STATE_CHANGE],
    detail: { alarmName: [{ prefix: alarmNamePrefix }], state: { value: ["ALARM"] } },
  };
}

/** Executions of one state machine that were stopped or timed out. */
export function stoppedExecutionPattern(stateMachineArn: string): EventPattern {
  if (!/^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:[A-Za-z0-9_-]{1,80}$/.test(stateMachineArn)) {
    // A pattern on anything else would silently match nothing (or, with a wildcard, other machines).
    throw new Error(`"${stateMachineArn}" is not a state machine ARN`);
  }
  return {
    source: ["aws.states"],
    "detail-type": [EXECUTION_STATUS_CHANGE],
    detail: { stateMachineArn: [stateMachineArn], status: [...STOPPED_EXECUTION_STATUSES] },
  };
}

export interface EventRuleScope {
  readonly autoScalingGroups: readonly string[];
  readonly alarmNamePrefix: string;
  /** The deployed rolling-deploy state machine. */
  readonly rollingDeployArn: string;
}

/** One EventBridge rule: deployed only when its target handler exists in functions/. */
export interface EventRuleSpec {
  /** Short kebab-case id: the rule is named `ebb-<stage>-<id>`. */
  readonly id: string;
  readonly description: string;
  readonly pattern: EventPattern;
  /** The handler in functions/<targetFunction>.ts that receives the events. */
  readonly targetFunction: string;
}

/**
 * Every rule Ebb knows about. Adding a handler for a new kind of event means adding a line here
 * and the file in functions/; rules whose handler does not exist yet are skipped at deploy time.
 */
export function eventRules(scope: EventRuleScope): EventRuleSpec[] {
  return [
    {
      id: "launch-lifecycle",
      description: "Launch lifecycle actions of the stage's Auto Scaling groups",
      pattern: lifecycleActionPattern(scope.autoScalingGroups, ["launch"]),
      targetFunction: "lifecycle-event",
    },
    {
      id: "terminate-lifecycle",
      description: "Terminate lifecycle actions of the stage's Auto Scaling groups",
      pattern: lifecycleActionPattern(scope.autoScalingGroups, ["terminate"]),
      targetFunction: "lifecycle-event",
    },
    {
      id: "alarm-remediation",
      description: "The stage's alarms entering ALARM",
      pattern: alarmStateChangePattern(scope.alarmNamePrefix),
      targetFunction: "remediate-alarm",
    },
    {
      id: "stopped-deploy",
      description: "Stopped, timed-out or failed rolling-deploy executions, which may have skipped their own clean-up",
      pattern: stoppedExecutionPattern(scope.rollingDeployArn),
      targetFunction: "settle-stopped-deploy",
    },
  ];
}

/** The rules a deployment creates: those whose target handler exists (`functions` are the names in functions/). */
export function deployedEventRules(scope: EventRuleScope, functions: readonly string[]): EventRuleSpec[] {
  return eventRules(scope).filter((rule) => functions.includes(rule.targetFunction));
}
