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

export interface EventRuleScope {
  readonly autoScalingGroups: readonly string[];
  readonly alarmNamePrefix: string;
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
      targetFunction: "launch-lifecycle-hook",
    },
    {
      id: "terminate-lifecycle",
      description: "Terminate lifecycle actions of the stage's Auto Scaling groups",
      pattern: lifecycleActionPattern(scope.autoScalingGroups, ["terminate"]),
      targetFunction: "terminate-lifecycle-hook",
    },
    {
      id: "alarm-remediation",
      description: "The stage's alarms entering ALARM",
      pattern: alarmStateChangePattern(scope.alarmNamePrefix),
      targetFunction: "remediate-alarm",
    },
  ];
}
