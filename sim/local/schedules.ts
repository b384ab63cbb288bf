import { deployedSchedules } from "../../infra/schedules.ts";
import { LAMBDA_DEFAULT_SETTINGS, lambdaContext, type LambdaFunctionSettings, type TaskHandlers } from "../../emulator/stepfunctions/index.ts";
import type { World } from "../world.ts";

/** EventBridge Scheduler's scheduled event, as a target function receives it. */
const scheduledEvent = (world: World, id: string) => ({
  version: "0",
  id: world.nextRequestId(),
  "detail-type": "Scheduled Event",
  source: "aws.scheduler",
  account: world.config.accountId,
  time: new Date(world.clock.nowMs).toISOString().replace(/\.\d{3}Z$/, "Z"),
  region: world.config.region,
  resources: [`arn:aws:scheduler:${world.config.region}:${world.config.accountId}:schedule/default/${id}`],
  detail: {},
});

/** One invocation of a scheduled function and how it ended (undefined result and error while it runs). */
export interface ScheduledRun {
  readonly scheduleId: string;
  readonly atMs: number;
  result: unknown;
  error: string | undefined;
}

export interface LocalSchedules {
  readonly runs: readonly ScheduledRun[];
  stop(): void;
}

/**
 * The schedules `sst deploy` creates, on virtual time: each handler invoked at every whole period
 * of the clock, as Lambda would, the bus tracking the invocation so the simulation waits for it.
 * A failing run is left to the next one (the reconciler is level-triggered).
 */
export function startSchedules(world: World, handlers: TaskHandlers, functions: Readonly<Record<string, LambdaFunctionSettings>>): LocalSchedules {
  const location = { region: world.config.region, account: world.config.accountId };
  const runs: ScheduledRun[] = [];
  let running = true;
  for (const schedule of deployedSchedules(Object.keys(handlers))) {
    const handler = handlers[schedule.targetFunction];
    if (handler === undefined) continue;
    const periodMs = schedule.periodSeconds * 1000;
    world.observe({
      step(nowMs) {
        if (!running || nowMs % periodMs !== 0) return;
        const context = lambdaContext(location, world.clock, schedule.targetFunction, world.nextRequestId(), functions[schedule.targetFunction] ?? LAMBDA_DEFAULT_SETTINGS);
        const event = scheduledEvent(world, schedule.id);
        const run: ScheduledRun = { scheduleId: schedule.id, atMs: nowMs, result: undefined, error: undefined };
        runs.push(run);
        world.events.track(
          Promise.resolve()
            .then(() => handler(event, context))
            .then(
              (result) => {
                run.result = result;
              },
              (error: unknown) => {
                run.error = error instanceof Error ? error.message : String(error);
              },
            ),
        );
      },
    });
  }
  return {
    runs,
    stop: () => {
      running = false;
    },
  };
}
