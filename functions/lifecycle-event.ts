import "../core/clients/dynamo.ts";
import "../core/clients/sfn.ts";
import { lifecycleEventSchema } from "../core/lifecycle/event.ts";
import { startHookWorkflow } from "../core/lifecycle/intake.ts";
import { idempotentEventHandler, siblingStateMachineArn } from "./lib/idempotent-event.ts";

const NAME = "lifecycle-event";

/** EventBridge target for both lifecycle actions: starts the hook workflow named after the action token. */
export const handler = idempotentEventHandler(NAME, lifecycleEventSchema, "detail.LifecycleActionToken", (event, rt, context) =>
  startHookWorkflow(rt, event, {
    launch: siblingStateMachineArn(context, NAME, "launch-hook"),
    terminate: siblingStateMachineArn(context, NAME, "terminate-hook"),
  }),
);
