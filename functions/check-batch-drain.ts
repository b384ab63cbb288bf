import { underLease } from "../core/deploy/lease.ts";
import { checkBatchDrain } from "../core/deploy/batch-drain.ts";
import { batchRefSchema } from "./lib/events.ts";
import { taskHandler } from "./lib/task-handler.ts";

export const handler = taskHandler("check-batch-drain", batchRefSchema, underLease(checkBatchDrain));
