import "../core/clients/auto-scaling.ts";
import "../core/clients/cloudwatch.ts";
import "../core/clients/dynamo.ts";
import "../core/clients/elbv2.ts";
import "../core/clients/eventbridge.ts";
import { underLease } from "../core/deploy/lease.ts";
import { planFleetDeploy } from "../core/deploy/start.ts";
import { announced, deployStarted } from "../core/progress-events/deploy.ts";
import { deployRefSchema } from "./lib/events.ts";
import { taskHandler } from "./lib/task-handler.ts";

export const handler = taskHandler("plan-deploy", deployRefSchema, underLease(announced((rt, event) => planFleetDeploy(rt, event.deployId), deployStarted)));
