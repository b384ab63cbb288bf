import type { AutoScalingWorld } from "./ports.ts";
import type { AutoScalingGroupState } from "./group.ts";
import { isActiveInstance } from "./instance-lifecycle.ts";
import { sameTemplate } from "../ec2/launch-templates-model.ts";
import { instancesToUpdate, percentageComplete, type InstanceRefreshState, type InstanceRefreshStatus } from "./instance-refresh.ts";

/** What an instance refresh's outcome touches outside the group: the event bus. */
export type RefreshEventHost = Pick<AutoScalingWorld, "events">;

export type InstanceRefreshEvent =
  | "EC2 Auto Scaling Instance Refresh Started"
  | "EC2 Auto Scaling Instance Refresh Checkpoint Reached"
  | "EC2 Auto Scaling Instance Refresh Started Baking"
  | "EC2 Auto Scaling Instance Refresh Succeeded"
  | "EC2 Auto Scaling Instance Refresh Failed"
  | "EC2 Auto Scaling Instance Refresh Cancelled"
  | "EC2 Auto Scaling Instance Refresh Rollback Started"
  | "EC2 Auto Scaling Instance Refresh Rollback Succeeded"
  | "EC2 Auto Scaling Instance Refresh Rollback Failed";

/** The instance refresh events of "Amazon EventBridge events for EC2 Auto Scaling", in their documented shape. */
export const publishRefreshEvent = (
  world: RefreshEventHost,
  group: AutoScalingGroupState,
  refresh: InstanceRefreshState,
  detailType: InstanceRefreshEvent,
  extra: Record<string, string> = {},
): void => {
  world.events.publish({
    source: "aws.autoscaling",
    "detail-type": detailType,
    resources: [group.autoScalingGroupArn],
    detail: { InstanceRefreshId: refresh.instanceRefreshId, AutoScalingGroupName: group.autoScalingGroupName, ...extra },
  });
};

export const finish = (refresh: InstanceRefreshState, status: InstanceRefreshStatus, reason: string | undefined, nowMs: number): void => {
  refresh.status = status;
  refresh.statusReason = reason;
  refresh.endTimeMs = nowMs;
  refresh.batch = [];
  refresh.surge = 0;
  refresh.surgeVictims = 0;
  refresh.pausedUntilMs = undefined;
};

/** A refresh fails, or rolls back when AutoRollback asked for it; a failing rollback ends RollbackFailed. */
export const refreshFailed = (world: RefreshEventHost, group: AutoScalingGroupState, refresh: InstanceRefreshState, reason: string, nowMs: number): void => {
  if (refresh.rollback !== undefined) {
    finish(refresh, "RollbackFailed", reason, nowMs);
    publishRefreshEvent(world, group, refresh, "EC2 Auto Scaling Instance Refresh Rollback Failed");
    return;
  }
  if (refresh.preferences.autoRollback) {
    beginRollback(world, group, refresh, reason, nowMs);
    return;
  }
  finish(refresh, "Failed", reason, nowMs);
  publishRefreshEvent(world, group, refresh, "EC2 Auto Scaling Instance Refresh Failed");
};

/**
 * Replaces every instance that is not on the group's previous configuration with one that is
 * (RollbackInstanceRefresh, or AutoRollback on failure); the group keeps its previous template.
 */
export const beginRollback = (world: RefreshEventHost, group: AutoScalingGroupState, refresh: InstanceRefreshState, reason: string, nowMs: number): void => {
  refresh.rollback = {
    reason,
    startTimeMs: nowMs,
    percentageCompleteOnRollback: percentageComplete(refresh),
    instancesToUpdateOnRollback: instancesToUpdate(refresh),
  };
  const live = group.liveInstances;
  refresh.toReplace = new Set(
    live.filter((instance) => isActiveInstance(instance) && !sameTemplate(instance.launchTemplate, refresh.previousLaunchTemplate)).map((instance) => instance.instanceId),
  );
  refresh.phaseOriginal = new Set(live.map((instance) => instance.instanceId));
  refresh.total = refresh.toReplace.size;
  refresh.replaced = 0;
  refresh.status = "RollbackInProgress";
  refresh.statusReason = reason;
  refresh.checkpointsReached = 0;
  refresh.pausedUntilMs = undefined;
  refresh.surge = 0;
  refresh.surgeVictims = 0;
  refresh.lastProgressMs = nowMs;
  refresh.waitingSinceMs = undefined;
  refresh.policyWaitSinceMs = undefined;
  publishRefreshEvent(world, group, refresh, "EC2 Auto Scaling Instance Refresh Rollback Started");
};
