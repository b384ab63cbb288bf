import { actionRefSchema } from "../core/lifecycle/event.ts";
import { checkTerminate } from "../core/lifecycle/terminate.ts";
import { taskHandler } from "./lib/task-handler.ts";

export const handler = taskHandler("terminate-hook-check", actionRefSchema, (ref, rt) => checkTerminate(rt, ref));
