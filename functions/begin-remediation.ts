import "../core/clients/auto-scaling.ts";
import "../core/clients/cloudwatch.ts";
import "../core/clients/dynamo.ts";
import "../core/clients/ec2.ts";
import "../core/clients/elbv2.ts";
import "../core/clients/eventbridge.ts";
import "../core/clients/ssm.ts";
import { z } from "zod";
import { beginRemediation } from "../core/remediation/episode.ts";
import { taskHandler } from "./lib/task-handler.ts";

export const handler = taskHandler(
  "begin-remediation",
  z.strictObject({
    remediationId: z.string().min(1).max(80),
    alarmName: z.string().min(1).max(255),
    alarmChangedAt: z.string().min(1),
    targetGroupArn: z.string().startsWith("arn:"),
  }),
  (event, rt) => beginRemediation(rt, event),
);
