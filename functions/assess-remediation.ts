import { assessRemediation } from "../core/remediation/episode.ts";
import { remediationRefSchema } from "./lib/remediation-events.ts";
import { taskHandler } from "./lib/task-handler.ts";

export const handler = taskHandler("assess-remediation", remediationRefSchema, (event, rt) => assessRemediation(rt, event.remediationId));
