import "../core/clients/auto-scaling.ts";
import "../core/clients/cloudwatch.ts";
import "../core/clients/dynamo.ts";
import "../core/clients/elbv2.ts";
import { underLease } from "../core/deploy/lease.ts";
import { prepareBatch } from "../core/deploy/batch.ts";
import { batchRefSchema } from "./lib/events.ts";
import { taskHandler } from "./lib/task-handler.ts";

export const handler = taskHandler("prepare-batch", batchRefSchema, underLease(prepareBatch));
