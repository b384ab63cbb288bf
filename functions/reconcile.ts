import { z } from "zod";
import { reconcile } from "../core/reconciler/reconcile.ts";
import { taskHandler } from "./lib/task-handler.ts";

/** The schedule's event carries nothing the reconciler needs (it looks at the fleet itself), but it must be an event. */
const scheduledEventSchema = z.looseObject({ "detail-type": z.string().optional(), time: z.string().optional() });

export const handler = taskHandler("reconcile", scheduledEventSchema, (_event, rt) => reconcile(rt));
