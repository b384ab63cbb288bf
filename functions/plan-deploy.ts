import { planFleetDeploy } from "../core/deploy/start.ts";
import { deployRefSchema } from "./lib/events.ts";
import { taskHandler } from "./lib/task-handler.ts";

export const handler = taskHandler("plan-deploy", deployRefSchema, (event, rt) => planFleetDeploy(rt, event.deployId));
