import { DescribeExecutionCommand } from "@aws-sdk/client-sfn";
import { getDeploy } from "../deploy-store.ts";
import { isConditionalCheckFailure } from "../dynamo.ts";
import { DeployLockLost, DeployStateError } from "../errors.ts";
import { releaseLock } from "../lock.ts";
import type { Runtime } from "../runtime.ts";
import { finishDeploy, type FinishedDeploy } from "./finish.ts";

const SETTLED = new Set(["ABORTED", "TIMED_OUT", "FAILED"]);

/** The group the execution's input names, if it names one (a run that failed before its deploy record existed). */
function groupOfInput(input: string | undefined): string | undefined {
  try {
    const parsed: unknown = JSON.parse(input ?? "");
    const name = typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>)["autoScalingGroupName"] : undefined;
    return typeof name === "string" && name !== "" ? name : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A stopped (StopExecution) or timed-out rolling-deploy runs none of its own states, and a FAILED
 * one may have failed on an error no Catch takes on AWS (States.DataLimitExceeded, States.Runtime)
 * or in its own clean-up: this settles it from the "Step Functions Execution Status Change" event
 * the way the workflow's failure path would (configuration, processes and delays restored, nothing
 * left deregistered or drained, lock released). A run that ended through its own states is already
 * settled, and finishing it again only makes sure its lock is free. The event alone is not
 * trusted: the execution must really have stopped, or settling would pull the group from under a
 * running deploy. A lock is only ever released by its owner. Idempotent.
 */
export async function settleStoppedDeploy(rt: Runtime, deployId: string, executionArn: string): Promise<FinishedDeploy | { skipped: string }> {
  const execution = await rt.clients.sfn.send(new DescribeExecutionCommand({ executionArn }));
  const status = execution.status ?? "UNKNOWN";
  if (status === "RUNNING" || status === "PENDING_REDRIVE") {
    throw new DeployStateError(`the rolling-deploy execution ${deployId} is still ${status}; it is settled only once it has stopped`);
  }
  if (!SETTLED.has(status)) return { skipped: `the execution ${deployId} ended ${status} through its own states` };
  try {
    await getDeploy(rt, deployId);
  } catch (error) {
    if (!(error instanceof DeployStateError || isConditionalCheckFailure(error))) throw error;
    const group = groupOfInput(execution.input);
    const released = group !== undefined && (await releaseLock(rt, group, deployId));
    return { skipped: `no deploy record for ${deployId}${released ? `; its lock on ${group} was released` : ""}` };
  }
  const failure =
    status === "FAILED"
      ? { Error: execution.error ?? "States.Runtime", Cause: execution.cause ?? `the rolling-deploy execution ${deployId} failed` }
      : { Error: status === "TIMED_OUT" ? "DeployTimedOut" : "DeployAborted", Cause: `the rolling-deploy execution ${deployId} was ${status}` };
  try {
    return await finishDeploy(rt, deployId, "Failed", failure);
  } catch (error) {
    // The group has another owner now: nothing of it is ours to settle.
    if (error instanceof DeployLockLost) return { skipped: `${deployId} lost its lock: ${error.message}` };
    throw error;
  }
}
