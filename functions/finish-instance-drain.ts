import { finishInstanceDrain, instanceDrainInputSchema } from "../core/instance-drain/steps.ts";
import { taskHandler } from "./lib/task-handler.ts";

export const handler = taskHandler("finish-instance-drain", instanceDrainInputSchema, (input, rt) => finishInstanceDrain(rt, input));
