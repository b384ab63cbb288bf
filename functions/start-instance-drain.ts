import { startInstanceDrain, instanceDrainInputSchema } from "../core/instance-drain/steps.ts";
import { taskHandler } from "./lib/task-handler.ts";

export const handler = taskHandler("start-instance-drain", instanceDrainInputSchema, (input, rt) => startInstanceDrain(rt, input));
