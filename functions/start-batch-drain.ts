import { underLease } from "../core/deploy/lease.ts";
import { startBatchDrain } from "../core/deploy/batch-drain.ts";
import { batchRefSchema } from "./lib/events.ts";
import { taskHandler } from "./lib/task-handler.ts";

export const handler = taskHandler("start-batch-drain", batchRefSchema, underLease(startBatchDrain));
