import "../core/clients/auto-scaling.ts";
import "../core/clients/cloudwatch.ts";
import "../core/clients/dynamo.ts";
import "../core/clients/ec2.ts";
import "../core/clients/elbv2.ts";
import "../core/clients/ssm.ts";
import { actionRefSchema } from "../core/lifecycle/event.ts";
import { checkTerminate } from "../core/lifecycle/terminate.ts";
import { taskHandler } from "./lib/task-handler.ts";

export const handler = taskHandler("terminate-hook-check", actionRefSchema, (ref, rt) => checkTerminate(rt, ref));
