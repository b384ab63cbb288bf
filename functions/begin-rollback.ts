import "../core/clients/auto-scaling.ts";
import "../core/clients/cloudwatch.ts";
import "../core/clients/dynamo.ts";
import "../core/clients/elbv2.ts";
import "../core/clients/eventbridge.ts";
import "../core/clients/ssm.ts";
import { z } from "zod";
import { underLease } from "../core/deploy/lease.ts";
import { beginRollback } from "../core/deploy/rollback.ts";
import { announced, deployRolledBack } from "../core/progress-events/deploy.ts";
import { failureSchema } from "./lib/events.ts";
import { taskHandler } from "./lib/task-handler.ts";

const schema = z.strictObject({ deployId: z.string().min(1).max(80), batchIndex: z.number().int().min(0), failure: failureSchema });

export const handler = taskHandler(
  "begin-rollback",
  schema,
  underLease(announced((rt, event: z.output<typeof schema>) => beginRollback(rt, event.deployId, event.failure, event.batchIndex), deployRolledBack)),
);
