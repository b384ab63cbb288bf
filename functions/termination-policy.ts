import "../core/clients/cloudwatch.ts";
import "../core/clients/dynamo.ts";
import { z } from "zod";
import { chooseScaleInVictims } from "../core/termination-policy.ts";
import { taskHandler } from "./lib/task-handler.ts";

/** The input of a custom termination policy (Auto Scaling user guide, "Create a custom termination policy with Lambda"). */
const terminationPolicyEventSchema = z.object({
  AutoScalingGroupARN: z.string().startsWith("arn:"),
  AutoScalingGroupName: z.string().min(1).max(255),
  CapacityToTerminate: z.array(z.object({ AvailabilityZone: z.string().min(1), Capacity: z.number().int().min(0), InstanceMarketOption: z.string().min(1) })),
  Instances: z.array(z.object({ AvailabilityZone: z.string().min(1), InstanceId: z.string().min(1), InstanceMarketOption: z.string().min(1) })),
  Cause: z.enum(["SCALE_IN", "INSTANCE_REFRESH", "MAX_INSTANCE_LIFETIME", "REBALANCE"]),
  HasMoreInstances: z.boolean().optional(),
});

export const handler = taskHandler("termination-policy", terminationPolicyEventSchema, (event, rt) => chooseScaleInVictims(rt, event));
