import "../core/clients/auto-scaling.ts";
import "../core/clients/cloudwatch.ts";
import "../core/clients/dynamo.ts";
import "../core/clients/elbv2.ts";
import "../core/clients/eventbridge.ts";
import { underLease } from "../core/deploy/lease.ts";
import { completeBatch } from "../core/deploy/batch.ts";
import { announced, batchCompleted } from "../core/progress-events/deploy.ts";
import { batchRefSchema } from "./lib/events.ts";
import { taskHandler } from "./lib/task-handler.ts";

export const handler = taskHandler("complete-batch", batchRefSchema, underLease(announced(completeBatch, batchCompleted)));
