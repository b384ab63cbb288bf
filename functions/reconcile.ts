import "../core/clients/auto-scaling.ts";
import "../core/clients/cloudwatch.ts";
import "../core/clients/dynamo.ts";
import "../core/clients/ec2.ts";
import "../core/clients/elbv2.ts";
import "../core/clients/sfn.ts";
import "../core/clients/ssm.ts";
import { z } from "zod";
import { InvalidEvent } from "../core/errors.ts";
import { reconcile } from "../core/reconciler/reconcile.ts";
import { describeIssues } from "../shared/validation.ts";
import { siblingStateMachineArn } from "./lib/idempotent-event.ts";
import { observedHandler } from "./lib/observed.ts";

const NAME = "reconcile";

/** The schedule's event carries nothing the reconciler needs (it looks at the fleet itself), but it must be an event. */
const scheduledEventSchema = z.looseObject({ "detail-type": z.string().optional(), time: z.string().optional() });

/** EventBridge Scheduler target, once a minute; the hook workflows are the stage's, beside this function. */
export const handler = observedHandler(async (event, rt, context) => {
  const parsed = scheduledEventSchema.safeParse(event);
  if (!parsed.success) throw new InvalidEvent(NAME, describeIssues(parsed.error, "(event)"));
  return reconcile(rt, {
    launch: siblingStateMachineArn(context, NAME, "launch-hook"),
    terminate: siblingStateMachineArn(context, NAME, "terminate-hook"),
  });
});
