import "../core/clients/auto-scaling.ts";
import "../core/clients/dynamo.ts";
import "../core/clients/elbv2.ts";
import { actionRefSchema } from "../core/lifecycle/event.ts";
import { startLaunch } from "../core/lifecycle/launch.ts";
import { taskHandler } from "./lib/task-handler.ts";

export const handler = taskHandler("launch-hook-start", actionRefSchema, (ref, rt) => startLaunch(rt, ref));
