import type { TaskHandlers } from "../../emulator/stepfunctions/index.ts";
import type { World } from "../world.ts";

/** What a caller sees of a function Lambda cannot run (Step Functions retries it by this name). */
class ControlPlaneOutage extends Error {
  constructor(functionName: string) {
    super(`Lambda could not run ${functionName}: the control plane is down (faults.controlPlaneOutages)`);
    this.name = "Lambda.ServiceException";
  }
}

/**
 * faults.controlPlaneOutages: during a window every one of Ebb's functions fails, whoever invokes
 * it (a workflow's Task, an EventBridge rule, the schedule, Auto Scaling's termination policy).
 */
export function withOutages(world: World, handlers: TaskHandlers): TaskHandlers {
  if (world.config.faults.controlPlaneOutages.length === 0) return handlers;
  return Object.fromEntries(
    Object.entries(handlers).map(([name, handler]) => [
      name,
      async (event: unknown, context: Parameters<typeof handler>[1]) => {
        if (world.faults.controlPlaneDown(world.clock.nowMs)) throw new ControlPlaneOutage(name);
        return handler(event, context);
      },
    ]),
  );
}
