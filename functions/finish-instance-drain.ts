import "../core/clients/auto-scaling.ts";
import "../core/clients/cloudwatch.ts";
import "../core/clients/dynamo.ts";
import "../core/clients/ec2.ts";
import "../core/clients/elbv2.ts";
import "../core/clients/ssm.ts";
import { finishInstanceDrain, instanceDrainInputSchema } from "../core/instance-drain/steps.ts";
import { taskHandler } from "./lib/task-handler.ts";

export const handler = taskHandler("finish-instance-drain", instanceDrainInputSchema, (input, rt) => finishInstanceDrain(rt, input));
