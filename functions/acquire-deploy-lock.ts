import "../core/clients/auto-scaling.ts";
import "../core/clients/cloudwatch.ts";
import "../core/clients/dynamo.ts";
import "../core/clients/elbv2.ts";
import { z } from "zod";
import { deploySettingsSchema } from "../core/deploy-settings.ts";
import { startDeploy } from "../core/deploy/start.ts";
import { taskHandler } from "./lib/task-handler.ts";

/** Takes the Auto Scaling group's lock (DeployInProgress when held) and creates the deploy record. */
export const handler = taskHandler(
  "acquire-deploy-lock",
  z.strictObject({
    deployId: z.string().min(1).max(80),
    targetVersion: z.string().regex(/^\d+$/),
    input: deploySettingsSchema.extend({ autoScalingGroupName: z.string().min(1) }),
  }),
  (event, rt) => startDeploy(rt, event.deployId, event.input, event.targetVersion),
);
