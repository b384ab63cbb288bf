import "../core/clients/auto-scaling.ts";
import "../core/clients/cloudwatch.ts";
import "../core/clients/dynamo.ts";
import "../core/clients/elbv2.ts";
import { underLease } from "../core/deploy/lease.ts";
import { setTargetVersion } from "../core/deploy/start.ts";
import { deployRefSchema } from "./lib/events.ts";
import { taskHandler } from "./lib/task-handler.ts";

export const handler = taskHandler("set-target-launch-template", deployRefSchema, underLease((rt, event) => setTargetVersion(rt, event.deployId)));
