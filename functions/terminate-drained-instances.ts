import { underLease } from "../core/deploy/lease.ts";
import { terminateDrainedInstances } from "../core/deploy/batch-drain.ts";
import { batchRefSchema } from "./lib/events.ts";
import { taskHandler } from "./lib/task-handler.ts";

export const handler = taskHandler("terminate-drained-instances", batchRefSchema, underLease(terminateDrainedInstances));
