import { underLease } from "../core/deploy/lease.ts";
import { completeBatch } from "../core/deploy/batch.ts";
import { batchRefSchema } from "./lib/events.ts";
import { taskHandler } from "./lib/task-handler.ts";

export const handler = taskHandler("complete-batch", batchRefSchema, underLease(completeBatch));
