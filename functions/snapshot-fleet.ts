import { snapshotFleet } from "../core/deploy/start.ts";
import { deployRefSchema } from "./lib/events.ts";
import { taskHandler } from "./lib/task-handler.ts";

export const handler = taskHandler("snapshot-fleet", deployRefSchema, (event, rt) => snapshotFleet(rt, event.deployId));
