import "../core/clients/auto-scaling.ts";
import "../core/clients/cloudwatch.ts";
import "../core/clients/ec2.ts";
import "../core/clients/elbv2.ts";
import { z } from "zod";
import { validateDeploy } from "../core/deploy/validate.ts";
import { taskHandler } from "./lib/task-handler.ts";

/** First state of rolling-deploy: InvalidDeployInput (every problem) / AutoScalingGroupNotAllowed; read-only. */
export const handler = taskHandler(
  "validate-deploy-input",
  z.strictObject({ input: z.unknown(), executionName: z.string().min(1).max(80) }),
  (event, rt) => validateDeploy(rt, event.input, event.executionName),
);
