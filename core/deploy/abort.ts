import { DescribeExecutionCommand } from "@aws-sdk/client-sfn";
import { getDeploy } from "../deploy-store.ts";
import { isConditionalCheckFailure } from "../dynamo.ts";
import { DeployStateError } from "../errors.ts";
import type { Runtime } from "../runtime.ts";
import { finishDeploy, type FinishedDeploy } from "./finish.ts";

const STOPPED = new Set(["ABORTED", "TIMED_OUT"]);

/**
 * A stopped (StopExecution) or timed-out rolling-deploy runs none of its own states: this settles
 * it from the "Step Functions Execution Status Change" event the way the workflow's failure path
 * would (configuration, processes and delays restored, nothing left deregistered or drained, lock
 * released). The event alone is not trusted: the execution must really have stopped, or settling
 * would pull the group from under a running deploy. Idempotent.
 */
export async function settleStoppedDeploy(rt: Runtime, deployId: string, executionArn: string): Promise<FinishedDeploy | { skipped: string }> {
  const execution = await rt.clients.sfn.send(new DescribeExecutionCommand({ executionArn }));
  const status = execution.status ?? "UNKNOWN";
  if (status === "RUNNING" || status === "PENDING_REDRIVE") {
    throw new DeployStateError(`the rolling-deploy execution ${deployId} is still ${status}; it is settled only once it has stopped`);
  }
  if (!STOPPED.has(status)) return { skipped: `the execution ${deployId} ended ${status} through its own states` };
  try {
    await getDeploy(rt, deployId);
  } catch (error) {
    if (error instanceof DeployStateError || isConditionalCheckFailure(error)) return { skipped: `no deploy record for ${deployId}` };
    throw error;
  }
  return finishDeploy(rt, deployId, "Failed", { Error: status === "TIMED_OUT" ? "DeployTimedOut" : "DeployAborted", Cause: `the rolling-deploy execution ${deployId} was ${status}` });
}
