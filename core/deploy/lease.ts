import { audit, getDeploy, updateDeploy } from "../deploy-store.ts";
import { DeployLockLost } from "../errors.ts";
import { renewLock } from "../lock.ts";
import type { Runtime } from "../runtime.ts";
import type { DeployRecord } from "../types.ts";

/**
 * A deploy touches its group only while it holds the group's lock. Every step after the lock is
 * taken starts by renewing the lease, a write conditional on this deploy still owning it; since
 * the lease outlasts a step (see lockLeaseSeconds), nobody can take the lock over while the step
 * runs. A deploy that lost its lock records why and stops with DeployLockLost, which the workflow
 * sends straight to a Fail state: no rollback, no cleanup, no release of another owner's lock.
 */

/** A poll waits at most this long, so the next poll renews the lease well before it lapses. */
export const maxPollWaitSeconds = (rt: Runtime): number => Math.floor(rt.stage.lockLeaseSeconds / 4);

/** Renews the deploy's lease, or records that it lost the lock and throws DeployLockLost. */
export async function renewDeployLease(rt: Runtime, record: DeployRecord): Promise<void> {
  try {
    await renewLock(rt, record.autoScalingGroupName, record.deployId);
  } catch (error) {
    if (!(error instanceof DeployLockLost)) throw error;
    if (record.outcome === undefined) {
      const at = rt.clock.now().toISOString();
      await updateDeploy(rt, record.deployId, { status: "Failed", outcome: { status: "Failed", at, cause: error.message } });
    }
    await audit(rt, record.deployId, { step: "lock-lost", detail: { cause: error.message } });
    throw error;
  }
}

const hasWait = (value: unknown): value is { waitSeconds: number } =>
  typeof value === "object" && value !== null && typeof (value as { waitSeconds?: unknown }).waitSeconds === "number";

/** A deploy step as a task handler runs it: lease renewed first, and any poll's wait kept within the lease. */
export function underLease<Event extends { deployId: string }, Result>(
  step: (rt: Runtime, event: Event) => Promise<Result>,
): (event: Event, rt: Runtime) => Promise<Result> {
  return async (event, rt) => {
    await renewDeployLease(rt, await getDeploy(rt, event.deployId));
    const result = await step(rt, event);
    if (!hasWait(result)) return result;
    return { ...result, waitSeconds: Math.min(result.waitSeconds, maxPollWaitSeconds(rt)) };
  };
}
