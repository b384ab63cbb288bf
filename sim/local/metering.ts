import type { TaskHandlers } from "../../emulator/stepfunctions/index.ts";
import type { World } from "../world.ts";

/**
 * Counts every invocation of Ebb's functions, whoever invokes them (a workflow's Task, an
 * EventBridge rule, the schedule, Auto Scaling's termination policy), for the report's cost.
 */
export function withMetering(world: World, handlers: TaskHandlers): TaskHandlers {
  return Object.fromEntries(
    Object.entries(handlers).map(([name, handler]) => [
      name,
      async (event: unknown, context: Parameters<typeof handler>[1]) => {
        world.stats.lambdaInvocations += 1;
        return handler(event, context);
      },
    ]),
  );
}
