import { actionRefSchema } from "../core/lifecycle/event.ts";
import { startTerminate } from "../core/lifecycle/terminate.ts";
import { taskHandler } from "./lib/task-handler.ts";

export const handler = taskHandler("terminate-hook-start", actionRefSchema, (ref, rt) => startTerminate(rt, ref));
