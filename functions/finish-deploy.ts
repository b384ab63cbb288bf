import "../core/clients/auto-scaling.ts";
import "../core/clients/cloudwatch.ts";
import "../core/clients/dynamo.ts";
import "../core/clients/elbv2.ts";
import "../core/clients/eventbridge.ts";
import "../core/clients/ssm.ts";
import { z } from "zod";
import { finishDeploy } from "../core/deploy/finish.ts";
import { announced, deployFinished } from "../core/progress-events/deploy.ts";
import { failureSchema } from "./lib/events.ts";
import { taskHandler } from "./lib/task-handler.ts";

/** Every way out of rolling-deploy: restore MaxSize, leave nothing deregistered, record the outcome, release the lock. */
export const handler = taskHandler(
  "finish-deploy",
  z.strictObject({
    deployId: z.string().min(1).max(80),
    outcome: z.enum(["Succeeded", "DryRun", "RolledBack", "Failed", "RollbackFailed"]),
    failure: failureSchema.optional(),
  }),
  (event, rt) => announced((rt, e: typeof event) => finishDeploy(rt, e.deployId, e.outcome, e.failure), deployFinished)(rt, event),
);
