import { underLease } from "../core/deploy/lease.ts";
import { setTargetVersion } from "../core/deploy/start.ts";
import { deployRefSchema } from "./lib/events.ts";
import { taskHandler } from "./lib/task-handler.ts";

export const handler = taskHandler("set-target-launch-template", deployRefSchema, underLease((rt, event) => setTargetVersion(rt, event.deployId)));
