import { checkInstanceDrain, instanceDrainInputSchema } from "../core/instance-drain/steps.ts";
import { taskHandler } from "./lib/task-handler.ts";

export const handler = taskHandler("check-instance-drain", instanceDrainInputSchema, (input, rt) => checkInstanceDrain(rt, input));
