import { StartExecutionCommand } from "@aws-sdk/client-sfn";
import { AutoScalingGroupNotAllowed, InvalidEvent } from "../errors.ts";
import type { Runtime } from "../runtime.ts";
import { actionRefOf, type ActionRef, type LifecycleEvent, type LifecycleKind } from "./event.ts";

/**
 * A lifecycle event becomes one execution of its hook workflow, named after the lifecycle action
 * token: EventBridge delivers at least once (late, out of order), and Step Functions itself
 * refuses a second execution of the same name, so a duplicate never starts a second drain.
 */

/** The hook workflows' state machine ARNs, by kind. */
export type HookWorkflows = Readonly<Record<LifecycleKind, string>>;

export interface Intake {
  ref: ActionRef;
  /** The execution started (absent for a duplicate: the idempotency record stores no undefined values). */
  executionArn?: string;
  /** The execution already existed: this event was a duplicate. */
  duplicate: boolean;
}

/** Execution names allow 80 characters; a token is a 36-character UUID. */
export const executionNameOf = (ref: ActionRef): string => `${ref.kind}-${ref.token}`;

export async function startHookWorkflow(rt: Runtime, event: LifecycleEvent, workflows: HookWorkflows): Promise<Intake> {
  const ref = actionRefOf(event);
  if (typeof ref === "string") throw new InvalidEvent("lifecycle-event", [ref]);
  if (!rt.stage.autoScalingGroups.includes(ref.autoScalingGroupName)) throw new AutoScalingGroupNotAllowed(ref.autoScalingGroupName, rt.stage.autoScalingGroups);
  try {
    const started = await rt.clients.sfn.send(
      new StartExecutionCommand({ stateMachineArn: workflows[ref.kind], name: executionNameOf(ref), input: JSON.stringify(ref) }),
    );
    rt.logger.info("lifecycle workflow started", { ...ref, executionArn: started.executionArn });
    return { ref, ...(started.executionArn === undefined ? {} : { executionArn: started.executionArn }), duplicate: false };
  } catch (error) {
    // Same name, execution closed (or a different input): this action already has its workflow.
    if (!(error instanceof Error && error.name === "ExecutionAlreadyExists")) throw error;
    rt.logger.info("duplicate lifecycle event: its workflow already exists", { ...ref });
    return { ref, duplicate: true };
  }
}
