import { ModifyTargetGroupAttributesCommand, type ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { DrainSettings } from "./deploy-settings.ts";
import type { StageConfig } from "./stage.ts";
import type { GroupChanges, TargetGroupSettings } from "./types.ts";

/**
 * When a deregistration delay expires an ALB closes whatever is still open, so a delay shorter
 * than the drain lets the load balancer's timer, not the drain, decide who is cut off. A deploy
 * raises such a delay for its own duration (stage `raiseDeregistrationDelay`, the default) or is
 * refused before anything is touched.
 */

export const DEREGISTRATION_DELAY_KEY = "deregistration_delay.timeout_seconds";
/** ELBv2's upper bound for the delay. */
export const MAX_DEREGISTRATION_DELAY_SECONDS = 3600;
/** Beyond the drain's own deadline: the batch is terminated a task after the drain is decided. */
export const DEREGISTRATION_DELAY_MARGIN_SECONDS = 30;

type DelayChange = GroupChanges["deregistrationDelays"][number];

/** A drain may last drain.timeoutSeconds: the delay must be at least that. */
export const coversDrain = (delaySeconds: number, drain: DrainSettings): boolean => delaySeconds >= drain.timeoutSeconds;

/** What a deploy raises a short delay to: the drain's deadline plus the margin, within ELBv2's bound. */
const raisedDelaySeconds = (drain: DrainSettings): number => Math.min(MAX_DEREGISTRATION_DELAY_SECONDS, drain.timeoutSeconds + DEREGISTRATION_DELAY_MARGIN_SECONDS);

/** The target groups whose delay the deploy raises, and to what. Empty when the stage turned raising off. */
export function plannedDelayChanges(targetGroups: readonly TargetGroupSettings[], drain: DrainSettings, stage: StageConfig): DelayChange[] {
  if (!stage.raiseDeregistrationDelay) return [];
  const raisedSeconds = raisedDelaySeconds(drain);
  return targetGroups
    .filter((group) => !coversDrain(group.deregistrationDelaySeconds, drain))
    .map((group) => ({ targetGroupArn: group.arn, originalSeconds: group.deregistrationDelaySeconds, raisedSeconds }));
}

/** The delay targets get while the deploy runs: the raised one where the deploy raises it. */
export function deployDelaySeconds(targetGroups: readonly TargetGroupSettings[], drain: DrainSettings, stage: StageConfig): number {
  const raised = new Map(plannedDelayChanges(targetGroups, drain, stage).map((change) => [change.targetGroupArn, change.raisedSeconds]));
  return Math.max(0, ...targetGroups.map((group) => raised.get(group.arn) ?? group.deregistrationDelaySeconds));
}

export async function setDeregistrationDelay(elbv2: ElasticLoadBalancingV2Client, targetGroupArn: string, seconds: number): Promise<void> {
  await elbv2.send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn: targetGroupArn, Attributes: [{ Key: DEREGISTRATION_DELAY_KEY, Value: String(seconds) }] }));
}

export interface PredictedDrain {
  seconds: number;
  connections: number;
}

/** With raising turned off: one problem per target group whose delay would cut the drain short, naming the fix. */
export function delayProblems(
  targetGroups: readonly TargetGroupSettings[],
  drain: DrainSettings,
  stage: StageConfig,
  predicted: PredictedDrain,
): string[] {
  if (stage.raiseDeregistrationDelay) return [];
  const raisedTo = raisedDelaySeconds(drain);
  return targetGroups
    .filter((group) => !coversDrain(group.deregistrationDelaySeconds, drain))
    .map(
      (group) =>
        `drain.timeoutSeconds: target group ${group.arn} has ${DEREGISTRATION_DELAY_KEY} ${group.deregistrationDelaySeconds} s, shorter than the drain ` +
        `(predicted ${predicted.seconds} s for the busiest instance's ${predicted.connections} connections, up to drain.timeoutSeconds ${drain.timeoutSeconds} s): ` +
        `the load balancer would close every connection still open after ${group.deregistrationDelaySeconds} s. Fix: set the target group's deregistration delay to at least ${drain.timeoutSeconds} s, ` +
        `or set raiseDeregistrationDelay to true in the stage (the deploy then raises it to ${raisedTo} s and restores it), or lower drain.timeoutSeconds to ${group.deregistrationDelaySeconds}`,
    );
}
