import "../core/clients/auto-scaling.ts";
import "../core/clients/cloudwatch.ts";
import "../core/clients/dynamo.ts";
import "../core/clients/ec2.ts";
import "../core/clients/elbv2.ts";
import "../core/clients/ssm.ts";
import { checkRemediationDrain } from "../core/remediation/drain-step.ts";
import { remediationRefSchema } from "./lib/remediation-events.ts";
import { taskHandler } from "./lib/task-handler.ts";

export const handler = taskHandler("check-remediation-drain", remediationRefSchema, (event, rt) => checkRemediationDrain(rt, event.remediationId));
