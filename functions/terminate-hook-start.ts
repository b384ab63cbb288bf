import "../core/clients/auto-scaling.ts";
import "../core/clients/cloudwatch.ts";
import "../core/clients/dynamo.ts";
import "../core/clients/ec2.ts";
import "../core/clients/elbv2.ts";
import "../core/clients/ssm.ts";
import { actionRefSchema } from "../core/lifecycle/event.ts";
import { startTerminate } from "../core/lifecycle/terminate.ts";
import { taskHandler } from "./lib/task-handler.ts";

export const handler = taskHandler("terminate-hook-start", actionRefSchema, (ref, rt) => startTerminate(rt, ref));
