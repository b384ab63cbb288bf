import "../core/clients/auto-scaling.ts";
import "../core/clients/cloudwatch.ts";
import "../core/clients/dynamo.ts";
import "../core/clients/ec2.ts";
import "../core/clients/elbv2.ts";
import "../core/clients/eventbridge.ts";
import "../core/clients/ssm.ts";
import { assessRemediation } from "../core/remediation/episode.ts";
import { remediationRefSchema } from "./lib/remediation-events.ts";
import { taskHandler } from "./lib/task-handler.ts";

export const handler = taskHandler("assess-remediation", remediationRefSchema, (event, rt) => assessRemediation(rt, event.remediationId));
