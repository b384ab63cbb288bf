import { underLease } from "../core/deploy/lease.ts";
import { snapshotFleet } from "../core/deploy/start.ts";
import { deployRefSchema } from "./lib/events.ts";
import { taskHandler } from "./lib/task-handler.ts";

export const handler = taskHandler("snapshot-fleet", deployRefSchema, underLease((rt, event) => snapshotFleet(rt, event.deployId)));
