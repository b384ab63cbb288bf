import { underLease } from "../core/deploy/lease.ts";
import { prepareBatch } from "../core/deploy/batch.ts";
import { batchRefSchema } from "./lib/events.ts";
import { taskHandler } from "./lib/task-handler.ts";

export const handler = taskHandler("prepare-batch", batchRefSchema, underLease(prepareBatch));
