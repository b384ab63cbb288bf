import "../core/clients/auto-scaling.ts";
import "../core/clients/cloudwatch.ts";
import "../core/clients/dynamo.ts";
import "../core/clients/ec2.ts";
import "../core/clients/elbv2.ts";
import "../core/clients/ssm.ts";
import { checkInstanceDrain, instanceDrainInputSchema } from "../core/instance-drain/steps.ts";
import { taskHandler } from "./lib/task-handler.ts";

export const handler = taskHandler("check-instance-drain", instanceDrainInputSchema, (input, rt) => checkInstanceDrain(rt, input));
