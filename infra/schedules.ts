import { RECONCILE_PERIOD_SECONDS } from "../core/reconciler/reconcile.ts";

/** A function Ebb runs on a schedule (sst.aws.CronV2, i.e. EventBridge Scheduler, on AWS). */
export interface ScheduleSpec {
  /** Short kebab-case id: the schedule is named `ebb-<stage>-<id>`. */
  readonly id: string;
  readonly description: string;
  readonly periodSeconds: number;
  /** The handler in functions/<targetFunction>.ts that is invoked. */
  readonly targetFunction: string;
}

/** EventBridge Scheduler's rate expression for a whole number of minutes. */
export function rateExpression(periodSeconds: number): string {
  const minutes = periodSeconds / 60;
  if (!Number.isInteger(minutes) || minutes < 1) throw new Error(`a schedule runs every whole minute, not every ${periodSeconds} s`);
  return minutes === 1 ? "rate(1 minute)" : `rate(${minutes} minutes)`;
}

/** Every schedule Ebb knows about; like the event rules, only those whose handler exists are deployed. */
export function deployedSchedules(functions: readonly string[]): ScheduleSpec[] {
  const schedules: ScheduleSpec[] = [
    {
      id: "reconcile",
      description: "Repairs what missed or failed events left inconsistent in the stage's groups",
      periodSeconds: RECONCILE_PERIOD_SECONDS,
      targetFunction: "reconcile",
    },
    {
      id: "fleet-metrics",
      description: "Publishes each group's connection-aware scaling metrics (namespace Ebb) for its target tracking policy",
      periodSeconds: 60,
      targetFunction: "publish-fleet-metrics",
    },
  ];
  return schedules.filter((schedule) => functions.includes(schedule.targetFunction));
}
