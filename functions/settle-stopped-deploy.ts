import "../core/clients/auto-scaling.ts";
import "../core/clients/cloudwatch.ts";
import "../core/clients/dynamo.ts";
import "../core/clients/elbv2.ts";
import "../core/clients/sfn.ts";
import "../core/clients/ssm.ts";
import { z } from "zod";
import { settleStoppedDeploy } from "../core/deploy/abort.ts";
import { taskHandler } from "./lib/task-handler.ts";

/** EventBridge target for "Step Functions Execution Status Change" (ABORTED / TIMED_OUT / FAILED) of rolling-deploy. */
export const handler = taskHandler(
  "settle-stopped-deploy",
  z.object({
    source: z.literal("aws.states"),
    "detail-type": z.literal("Step Functions Execution Status Change"),
    detail: z.object({ name: z.string().min(1).max(80), status: z.enum(["ABORTED", "TIMED_OUT", "FAILED"]), executionArn: z.string().startsWith("arn:") }),
  }),
  (event, rt) => settleStoppedDeploy(rt, event.detail.name, event.detail.executionArn),
);
