import type { World } from "../../sim/world.ts";
import { isSuspended, type AutoScalingGroupState } from "./group.ts";
import { isActiveInstance } from "./instance-lifecycle.ts";
import { sameTemplate } from "../ec2/launch-templates-model.ts";
import { chooseToTerminate } from "./placement.ts";
import type { FleetInstance, LaunchTemplateRef } from "./types.ts";

export type InstanceRefreshStatus = "Pending" | "InProgress" | "Successful" | "Failed" | "Cancelling" | "Cancelled";

export interface RefreshPreferences {
  minHealthyPercentage: number;
  maxHealthyPercentage: number;
  instanceWarmup: number;
  skipMatching: boolean;
}

export interface InstanceRefreshState {
  readonly instanceRefreshId: string;
  readonly autoScalingGroupName: string;
  status: InstanceRefreshStatus;
  statusReason: string | undefined;
  readonly startTimeMs: number;
  endTimeMs: number | undefined;
  readonly preferences: RefreshPreferences;
  readonly desiredLaunchTemplate: LaunchTemplateRef | undefined;
  /** Instances the refresh still has to replace. */
  readonly toReplace: Set<string>;
  readonly total: number;
  /** Old instances terminated by the current batch. */
  batch: string[];
}

export const isActiveRefresh = (refresh: InstanceRefreshState): boolean =>
  refresh.status === "Pending" || refresh.status === "InProgress" || refresh.status === "Cancelling";

export const refreshTargetTemplate = (group: AutoScalingGroupState, refresh: InstanceRefreshState | undefined): LaunchTemplateRef =>
  refresh?.desiredLaunchTemplate ?? group.launchTemplate;

export const percentageComplete = (refresh: InstanceRefreshState): number =>
  refresh.total === 0 ? 100 : Math.floor((100 * (refresh.total - refresh.toReplace.size)) / refresh.total);

/**
 * Instance refresh as AWS documents it (MaxHealthyPercentage 100): terminate a batch sized so
 * the healthy share never falls below MinHealthyPercentage (at least one instance), let the group
 * launch replacements with the desired configuration, wait until they are in service, healthy
 * and warmed up, then the next batch. Draining is only the target group's deregistration delay.
 */
export const stepInstanceRefresh = (
  world: World,
  group: AutoScalingGroupState,
  refresh: InstanceRefreshState,
  live: readonly FleetInstance[],
  startTermination: (instance: FleetInstance, cause: string) => void,
  nowMs: number,
): void => {
  if (isSuspended(group, "InstanceRefresh")) return;
  if (refresh.status === "Pending") refresh.status = "InProgress";
  const liveIds = new Set(live.map((instance) => instance.instanceId));
  for (const id of refresh.toReplace) if (!liveIds.has(id)) refresh.toReplace.delete(id);
  if (refresh.batch.some((id) => liveIds.has(id))) return;
  const active = live.filter(isActiveInstance);
  if (active.length < group.desiredCapacity) return;
  const target = refreshTargetTemplate(group, refresh);
  const warmedUp = (instance: FleetInstance): boolean =>
    instance.lifecycleState === "InService" &&
    nowMs >= (instance.inServiceAtMs ?? nowMs) + refresh.preferences.instanceWarmup * 1000 &&
    (group.healthCheckType !== "ELB" || group.targetGroupArns.every((arn) => world.elb.targetState(arn, instance.instanceId) === "healthy"));
  const replacements = active.filter((instance) => !refresh.toReplace.has(instance.instanceId));
  if (!replacements.every(warmedUp)) return;
  if (refresh.status === "Cancelling") {
    finish(refresh, "Cancelled", "Instance refresh was cancelled.", nowMs);
    return;
  }
  const remaining = active.filter((instance) => refresh.toReplace.has(instance.instanceId) && instance.lifecycleState === "InService");
  if (remaining.length === 0) {
    if (refresh.desiredLaunchTemplate !== undefined) group.launchTemplate = { ...target };
    finish(refresh, "Successful", undefined, nowMs);
    return;
  }
  const healthy = active.filter(warmedUp).length;
  const mustStayHealthy = Math.ceil((group.desiredCapacity * refresh.preferences.minHealthyPercentage) / 100);
  const batchSize = Math.min(remaining.length, Math.max(1, healthy - mustStayHealthy));
  const batch = chooseToTerminate({ ...group, launchTemplate: target }, remaining, batchSize, nowMs);
  refresh.batch = batch.map((instance) => instance.instanceId);
  for (const instance of batch) startTermination(instance, `instance refresh ${refresh.instanceRefreshId}`);
};

/**
 * Instances a new refresh has to replace: all active ones, or with SkipMatching only those not on
 * the target. Instances protected from scale in are left alone (ScaleInProtectedInstances: Ignore).
 */
export const instancesToReplace = (live: readonly FleetInstance[], target: LaunchTemplateRef, skipMatching: boolean): Set<string> =>
  new Set(
    live
      .filter((instance) => isActiveInstance(instance) && !instance.protectedFromScaleIn && !(skipMatching && sameTemplate(instance.launchTemplate, target)))
      .map((instance) => instance.instanceId),
  );

const finish = (refresh: InstanceRefreshState, status: InstanceRefreshStatus, reason: string | undefined, nowMs: number): void => {
  refresh.status = status;
  refresh.statusReason = reason;
  refresh.endTimeMs = nowMs;
  refresh.batch = [];
};
