import "../core/clients/auto-scaling.ts";
import "../core/clients/cloudwatch.ts";
import "../core/clients/dynamo.ts";
import "../core/clients/elbv2.ts";
import { underLease } from "../core/deploy/lease.ts";
import { launchSurgeCapacity } from "../core/deploy/batch.ts";
import { batchRefSchema } from "./lib/events.ts";
import { taskHandler } from "./lib/task-handler.ts";

export const handler = taskHandler("launch-surge-capacity", batchRefSchema, underLease(launchSurgeCapacity));
