import type { AlarmStateValue, ComparisonOperator } from "./types.ts";

/** What an alarm tells the service its action ARN names (an Auto Scaling policy reads the breach from it). */
export interface AlarmInvocation {
  readonly actionArn: string;
  readonly alarmName: string;
  readonly state: AlarmStateValue;
  readonly threshold: number;
  readonly comparisonOperator: ComparisonOperator;
  /** The newest datapoint the evaluation used; undefined when none (SetAlarmState, missing data). */
  readonly newestValue: number | undefined;
  readonly nowMs: number;
}

export type AlarmActionHandler = (invocation: AlarmInvocation) => void;

/**
 * Alarm actions by the service their ARN names (arn:aws:<service>:...). "Alarm actions" in the
 * CloudWatch user guide: except for Auto Scaling actions, actions happen only on state
 * transitions; an Auto Scaling action is invoked again at each evaluation, once per minute, for
 * as long as the alarm stays in the state.
 */
export class AlarmActionRouter {
  readonly #handlers = new Map<string, AlarmActionHandler>();

  route(service: string, handler: AlarmActionHandler): void {
    this.#handlers.set(service, handler);
  }

  /** `changed`: the alarm just entered `state` (else it is an evaluation that kept it there). */
  invoke(actionArns: readonly string[], changed: boolean, invocation: Omit<AlarmInvocation, "actionArn">): void {
    for (const actionArn of actionArns) {
      const service = actionArn.split(":")[2] ?? "";
      if (!changed && service !== "autoscaling") continue;
      this.#handlers.get(service)?.({ ...invocation, actionArn });
    }
  }
}
