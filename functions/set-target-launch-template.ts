import { setTargetVersion } from "../core/deploy/start.ts";
import { deployRefSchema } from "./lib/events.ts";
import { taskHandler } from "./lib/task-handler.ts";

export const handler = taskHandler("set-target-launch-template", deployRefSchema, (event, rt) => setTargetVersion(rt, event.deployId));
