import "../core/clients/auto-scaling.ts";
import "../core/clients/cloudwatch.ts";
import "../core/clients/dynamo.ts";
import "../core/clients/ec2.ts";
import "../core/clients/elbv2.ts";
import "../core/clients/ssm.ts";
import { underLease } from "../core/deploy/lease.ts";
import { checkBatchDrain } from "../core/deploy/batch-drain.ts";
import { batchRefSchema } from "./lib/events.ts";
import { taskHandler } from "./lib/task-handler.ts";

export const handler = taskHandler("check-batch-drain", batchRefSchema, underLease(checkBatchDrain));
