import { getDeploy } from "../deploy-store.ts";
import { isConditionalCheckFailure } from "../dynamo.ts";
import { DeployStateError } from "../errors.ts";
import type { Runtime } from "../runtime.ts";
import { finishDeploy, type FinishedDeploy } from "./finish.ts";

/**
 * A stopped (StopExecution) or timed-out rolling-deploy runs none of its own states: this settles
 * it from the "Step Functions Execution Status Change" event, the way the workflow's failure path
 * would (no instance left deregistered or drained, MaxSize restored, lock released). Idempotent.
 */
export async function settleStoppedDeploy(rt: Runtime, deployId: string, status: string): Promise<FinishedDeploy | { skipped: string }> {
  try {
    await getDeploy(rt, deployId);
  } catch (error) {
    if (error instanceof DeployStateError || isConditionalCheckFailure(error)) return { skipped: `no deploy record for ${deployId}` };
    throw error;
  }
  return finishDeploy(rt, deployId, "Failed", { Error: status === "TIMED_OUT" ? "DeployTimedOut" : "DeployAborted", Cause: `the rolling-deploy execution ${deployId} was ${status}` });
}
