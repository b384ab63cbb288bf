import "../core/clients/auto-scaling.ts";
import "../core/clients/cloudwatch.ts";
import "../core/clients/dynamo.ts";
import "../core/clients/elbv2.ts";
import { underLease } from "../core/deploy/lease.ts";
import { snapshotFleet } from "../core/deploy/start.ts";
import { deployRefSchema } from "./lib/events.ts";
import { taskHandler } from "./lib/task-handler.ts";

export const handler = taskHandler("snapshot-fleet", deployRefSchema, underLease((rt, event) => snapshotFleet(rt, event.deployId)));
