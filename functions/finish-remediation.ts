import "../core/clients/auto-scaling.ts";
import "../core/clients/cloudwatch.ts";
import "../core/clients/dynamo.ts";
import "../core/clients/ec2.ts";
import "../core/clients/elbv2.ts";
import "../core/clients/eventbridge.ts";
import "../core/clients/ssm.ts";
import { z } from "zod";
import { recordRemediationFinished } from "../core/metrics.ts";
import { finishRemediation } from "../core/remediation/episode.ts";
import { failureSchema } from "./lib/events.ts";
import { taskHandler } from "./lib/task-handler.ts";

/** Every way out of remediate: end an outage hold, release the lock, record the outcome. */
export const handler = taskHandler(
  "finish-remediation",
  z.strictObject({ remediationId: z.string().min(1).max(80), failure: failureSchema.optional() }),
  async (event, rt) => {
    const summary = await finishRemediation(rt, event.remediationId, event.failure?.Error);
    recordRemediationFinished(rt, summary.replaced.length, summary.outagesDetected.length);
    return summary;
  },
);
