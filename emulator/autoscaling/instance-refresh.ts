import type { AutoScalingWorld } from "./ports.ts";
import { isSuspended, type AutoScalingGroupState } from "./group.ts";
import { isActiveInstance, type InstanceLifecycleHost } from "./instance-lifecycle.ts";
import { finish, publishRefreshEvent, refreshFailed } from "./refresh-outcomes.ts";
import type { FleetInstance, LaunchTemplateRef } from "./types.ts";

export type InstanceRefreshStatus =
  | "Pending"
  | "InProgress"
  | "Baking"
  | "Successful"
  | "Failed"
  | "Cancelling"
  | "Cancelled"
  | "RollbackInProgress"
  | "RollbackSuccessful"
  | "RollbackFailed";

export interface RefreshPreferences {
  minHealthyPercentage: number;
  /** undefined when the caller omitted it: AWS then terminates and launches together, never above desired capacity. */
  maxHealthyPercentage: number | undefined;
  instanceWarmup: number;
  checkpointPercentages: number[];
  checkpointDelay: number;
  skipMatching: boolean;
  autoRollback: boolean;
  scaleInProtectedInstances: "Refresh" | "Ignore" | "Wait";
  standbyInstances: "Terminate" | "Ignore" | "Wait";
  alarms: string[];
  bakeTime: number;
}

export interface RollbackState {
  readonly reason: string;
  readonly startTimeMs: number;
  readonly percentageCompleteOnRollback: number;
  readonly instancesToUpdateOnRollback: number;
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
  /** The group's template when the refresh started: what a rollback restores. */
  readonly previousLaunchTemplate: LaunchTemplateRef;
  /** Instances the current phase (refresh or rollback) still has to replace. */
  toReplace: Set<string>;
  /** Instances live when the current phase began: every other instance is a replacement. */
  phaseOriginal: Set<string>;
  total: number;
  /** Replacements that are in service, healthy and warmed up. */
  replaced: number;
  /** Old instances terminated by the round in flight. */
  batch: string[];
  /** Replacements launched above desired capacity (MaxHealthyPercentage above 100). */
  surge: number;
  /** Old instances to terminate once the surge replacements are warmed up. */
  surgeVictims: number;
  checkpointsReached: number;
  pausedUntilMs: number | undefined;
  /** The last time the phase moved forward (a replacement warmed up, or it waited on something else than health). */
  lastProgressMs: number;
  /** Since when only protected or standby instances (with the Wait preference) are left. */
  waitingSinceMs: number | undefined;
  /** Since when a Lambda termination policy has given no instance to terminate. */
  policyWaitSinceMs: number | undefined;
  rollback: RollbackState | undefined;
}

/**
 * How long the refresh waits for replacements to become healthy, and for protected or standby
 * instances under the `Wait` preference, before it fails (RefreshPreferences: "waits one hour").
 */
export const REFRESH_WAIT_MS = 3_600_000;

export const isActiveRefresh = (refresh: InstanceRefreshState): boolean =>
  ["Pending", "InProgress", "Baking", "Cancelling", "RollbackInProgress"].includes(refresh.status);

export const refreshTargetTemplate = (group: AutoScalingGroupState, refresh: InstanceRefreshState | undefined): LaunchTemplateRef => {
  if (refresh?.rollback !== undefined) return refresh.previousLaunchTemplate;
  return refresh?.desiredLaunchTemplate ?? group.launchTemplate;
};

/** Extra capacity the reconciler keeps while a launch-before-terminate round is in flight. */
export const refreshSurge = (refresh: InstanceRefreshState | undefined): number => refresh?.surge ?? 0;

/** A rollback counts back down to zero as the replacements are themselves replaced. */
export const percentageComplete = (refresh: InstanceRefreshState): number => {
  if (refresh.total === 0) return refresh.rollback === undefined ? 100 : 0;
  if (refresh.rollback === undefined) return Math.floor((100 * refresh.replaced) / refresh.total);
  return Math.floor((refresh.rollback.percentageCompleteOnRollback * (refresh.total - refresh.replaced)) / refresh.total);
};

export const instancesToUpdate = (refresh: InstanceRefreshState): number => Math.max(0, refresh.total - refresh.replaced);

type RefreshHost = Pick<InstanceLifecycleHost, "world" | "startTermination" | "chooseToTerminate">;

/**
 * One step of a rolling instance refresh as AWS documents it: rounds sized by the minimum and
 * maximum healthy percentages (launching first above 100), each waiting until its replacements
 * are in service, healthy and warmed up; checkpoints pause it; CloudWatch alarms, replacements
 * that never become healthy and protected or standby instances left waiting fail it after an
 * hour (rolling back when asked to). Draining is only what the termination path does.
 */
export const stepInstanceRefresh = (host: RefreshHost, group: AutoScalingGroupState, refresh: InstanceRefreshState, nowMs: number): void => {
  const { world } = host;
  if (isSuspended(group, "InstanceRefresh")) return;
  if (refresh.status === "Pending") {
    refresh.status = "InProgress";
    publishRefreshEvent(world, group, refresh, "EC2 Auto Scaling Instance Refresh Started");
  }
  const liveIds = new Set(group.liveInstances.map((instance) => instance.instanceId));
  for (const id of refresh.toReplace) if (!liveIds.has(id)) refresh.toReplace.delete(id);
  const active = group.liveInstances.filter(isActiveInstance);
  const warm = (instance: FleetInstance) => warmedUp(world, group, refresh, instance, nowMs);
  const fresh = active.filter((instance) => !refresh.phaseOriginal.has(instance.instanceId));
  const replaced = Math.min(refresh.total, fresh.filter(warm).length);
  if (replaced > refresh.replaced) refresh.lastProgressMs = nowMs;
  refresh.replaced = replaced;

  const firing = refresh.status === "InProgress" ? refresh.preferences.alarms.find((name) => world.cloudwatch.alarm(name)?.StateValue === "ALARM") : undefined;
  if (firing !== undefined) {
    refreshFailed(world, group, refresh, `The instance refresh failed because the CloudWatch alarm ${firing} went into the ALARM state.`, nowMs);
    return;
  }
  const terminating = refresh.batch.some((id) => liveIds.has(id));
  const launching = fresh.some((instance) => instance.lifecycleState.startsWith("Pending"));
  if (refresh.status === "Cancelling") {
    if (!terminating && !launching) {
      finish(refresh, "Cancelled", "The instance refresh was cancelled.", nowMs);
      publishRefreshEvent(world, group, refresh, "EC2 Auto Scaling Instance Refresh Cancelled");
    }
    return;
  }
  if (refresh.status === "Baking") {
    if (nowMs >= (refresh.pausedUntilMs ?? nowMs)) succeed(world, group, refresh, nowMs);
    return;
  }
  // Time spent terminating old instances or in a launch lifecycle wait is the hooks' and the drain's, not a failure to become healthy.
  if (terminating || fresh.some((instance) => instance.lifecycleState === "Pending:Wait")) refresh.lastProgressMs = nowMs;
  const unwarmed = fresh.find((instance) => !warm(instance));
  if (terminating || unwarmed !== undefined || active.length < group.desiredCapacity + refresh.surge) {
    refresh.statusReason = unwarmed === undefined ? undefined : `Waiting for instances to warm up before continuing. For example: ${unwarmed.instanceId} is warming up.`;
    if (nowMs - refresh.lastProgressMs >= REFRESH_WAIT_MS) {
      refreshFailed(world, group, refresh, "The instance refresh failed because the replacement instances did not become healthy within 1 hour.", nowMs);
    }
    return;
  }
  refresh.lastProgressMs = nowMs;
  refresh.statusReason = undefined;
  if (refresh.pausedUntilMs !== undefined) {
    if (nowMs < refresh.pausedUntilMs) return;
    refresh.pausedUntilMs = undefined;
  }
  const target = refreshTargetTemplate(group, refresh);
  const replaceable = (instance: FleetInstance) =>
    instance.lifecycleState === "InService" &&
    refresh.toReplace.has(instance.instanceId) &&
    (!instance.protectedFromScaleIn || refresh.preferences.scaleInProtectedInstances === "Refresh");
  const candidates = active.filter(replaceable);
  const choose = (count: number): FleetInstance[] | undefined =>
    chooseOrWait(host, { ...group, launchTemplate: target }, refresh, candidates, count, nowMs);
  if (refresh.surgeVictims > 0) {
    const victims = choose(refresh.surgeVictims);
    if (victims === undefined) return;
    terminate(host, refresh, victims);
    refresh.surge = 0;
    refresh.surgeVictims = 0;
    return;
  }
  if (reachCheckpoint(world, group, refresh, nowMs)) return;
  if (candidates.length === 0) {
    waitOrFinish(host, group, refresh, nowMs);
    return;
  }
  refresh.waitingSinceMs = undefined;
  startRound(host, group, refresh, active, candidates.length, warm, nowMs, choose);
};

/**
 * The round's victims from the group's termination policies (a refresh replaces protected
 * instances when told to, so protection is not checked here). A Lambda policy that gives none is
 * asked again, "for instance refresh-based terminations, it keeps trying for an hour. After that,
 * if it continues to fail to terminate any instances, the instance refresh operation fails"
 * (Auto Scaling user guide, "Create a custom termination policy with Lambda"): undefined meanwhile.
 */
const chooseOrWait = (
  host: RefreshHost, group: AutoScalingGroupState, refresh: InstanceRefreshState, candidates: readonly FleetInstance[], count: number, nowMs: number,
): FleetInstance[] | undefined => {
  const chosen = count > 0 ? host.chooseToTerminate(group, candidates, count, "INSTANCE_REFRESH", nowMs, false) : [];
  if (chosen.length > 0 || count === 0) {
    refresh.policyWaitSinceMs = undefined;
    return chosen;
  }
  refresh.policyWaitSinceMs ??= nowMs;
  refresh.statusReason = "Waiting for the custom termination policy to return instances to terminate.";
  if (nowMs - refresh.policyWaitSinceMs >= REFRESH_WAIT_MS) {
    refreshFailed(host.world, group, refresh, "The instance refresh failed because the custom termination policy returned no instances to terminate for 1 hour.", nowMs);
  }
  return undefined;
};

const warmedUp = (world: AutoScalingWorld, group: AutoScalingGroupState, refresh: InstanceRefreshState, instance: FleetInstance, nowMs: number): boolean =>
  instance.lifecycleState === "InService" &&
  instance.healthStatus === "Healthy" &&
  nowMs >= (instance.inServiceAtMs ?? nowMs) + refresh.preferences.instanceWarmup * 1000 &&
  (group.healthCheckType !== "ELB" || group.targetGroupArns.every((arn) => world.elb.targetState(arn, instance.instanceId) === "healthy"));

const terminate = (host: RefreshHost, refresh: InstanceRefreshState, victims: readonly FleetInstance[]): void => {
  refresh.batch = victims.map((instance) => instance.instanceId);
  for (const instance of victims) host.startTermination(instance, `an instance was taken out of service in response to instance refresh ${refresh.instanceRefreshId}`);
};

/** The replacements needed for the next checkpoint, or for the whole phase. */
const checkpointTarget = (refresh: InstanceRefreshState): number => {
  const next = refresh.rollback === undefined ? refresh.preferences.checkpointPercentages[refresh.checkpointsReached] : undefined;
  return next === undefined ? refresh.total : Math.ceil((refresh.total * next) / 100);
};

/** Sends Checkpoint Reached for the highest threshold passed (lower ones are skipped, as AWS does) and pauses. */
const reachCheckpoint = (world: AutoScalingWorld, group: AutoScalingGroupState, refresh: InstanceRefreshState, nowMs: number): boolean => {
  const checkpoints = refresh.rollback === undefined ? refresh.preferences.checkpointPercentages : [];
  const percent = percentageComplete(refresh);
  let reached: number | undefined;
  while ((checkpoints[refresh.checkpointsReached] ?? Number.POSITIVE_INFINITY) <= percent) {
    reached = checkpoints[refresh.checkpointsReached];
    refresh.checkpointsReached += 1;
  }
  if (reached === undefined) return false;
  publishRefreshEvent(world, group, refresh, "EC2 Auto Scaling Instance Refresh Checkpoint Reached", {
    CheckpointPercentage: String(reached),
    CheckpointDelay: String(refresh.preferences.checkpointDelay),
  });
  // The last checkpoint is the share of the group to replace: reaching it ends the refresh.
  if (refresh.checkpointsReached >= checkpoints.length) {
    succeed(world, group, refresh, nowMs);
    return true;
  }
  refresh.pausedUntilMs = nowMs + refresh.preferences.checkpointDelay * 1000;
  return true;
};

/** Only protected or standby instances are left: wait for them (up to an hour), terminate standby ones, or finish. */
const waitOrFinish = (host: RefreshHost, group: AutoScalingGroupState, refresh: InstanceRefreshState, nowMs: number): void => {
  const { world } = host;
  const left = group.liveInstances.filter((instance) => refresh.toReplace.has(instance.instanceId));
  const standby = left.filter((instance) => instance.lifecycleState === "Standby");
  if (refresh.preferences.standbyInstances === "Terminate" && standby.length > 0) {
    terminate(host, refresh, standby);
    return;
  }
  const waitingOn = left.filter((instance) => !instance.lifecycleState.startsWith("Terminat"));
  if (waitingOn.length === 0) {
    succeed(world, group, refresh, nowMs);
    return;
  }
  refresh.waitingSinceMs ??= nowMs;
  const example = waitingOn[0]?.instanceId ?? "";
  refresh.statusReason = `Waiting for instances that are protected from scale in or in Standby. For example: ${example}.`;
  if (nowMs - refresh.waitingSinceMs >= REFRESH_WAIT_MS) {
    refreshFailed(world, group, refresh, `The instance refresh failed because ${example} stayed protected from scale in or in Standby for 1 hour.`, nowMs);
  }
};

/**
 * Starts a round: terminates as many old instances as the minimum healthy percentage allows and
 * launches as many above desired capacity as the maximum allows, capped at the next checkpoint.
 * With neither room, one instance is replaced anyway: terminated first when MaxHealthyPercentage
 * was omitted, launched first when it was set (RefreshPreferences).
 */
const startRound = (
  host: RefreshHost,
  group: AutoScalingGroupState,
  refresh: InstanceRefreshState,
  active: readonly FleetInstance[],
  remaining: number,
  warm: (instance: FleetInstance) => boolean,
  nowMs: number,
  choose: (count: number) => FleetInstance[] | undefined,
): void => {
  const desired = group.desiredCapacity;
  const minHealthy = Math.ceil((desired * refresh.preferences.minHealthyPercentage) / 100);
  const maxCapacity = Math.floor((desired * (refresh.preferences.maxHealthyPercentage ?? 100)) / 100);
  const limit = Math.min(remaining, Math.max(1, checkpointTarget(refresh) - refresh.replaced));
  let terminateNow = Math.min(limit, Math.max(0, active.filter(warm).length - minHealthy));
  let surge = Math.min(limit - terminateNow, Math.max(0, maxCapacity - active.length));
  if (terminateNow + surge === 0) {
    if (refresh.preferences.maxHealthyPercentage === undefined) terminateNow = 1;
    else surge = 1;
  }
  const victims = choose(terminateNow);
  if (victims === undefined && surge === 0) return;
  terminate(host, refresh, victims ?? []);
  refresh.surge = surge;
  refresh.surgeVictims = surge;
  refresh.lastProgressMs = nowMs;
};

const succeed = (world: AutoScalingWorld, group: AutoScalingGroupState, refresh: InstanceRefreshState, nowMs: number): void => {
  if (refresh.rollback !== undefined) {
    finish(refresh, "RollbackSuccessful", refresh.rollback.reason, nowMs);
    publishRefreshEvent(world, group, refresh, "EC2 Auto Scaling Instance Refresh Rollback Succeeded");
    return;
  }
  if (refresh.status !== "Baking" && refresh.preferences.bakeTime > 0) {
    refresh.status = "Baking";
    refresh.pausedUntilMs = nowMs + refresh.preferences.bakeTime * 1000;
    publishRefreshEvent(world, group, refresh, "EC2 Auto Scaling Instance Refresh Started Baking");
    return;
  }
  if (refresh.desiredLaunchTemplate !== undefined) group.launchTemplate = { ...refresh.desiredLaunchTemplate };
  finish(refresh, "Successful", undefined, nowMs);
  publishRefreshEvent(world, group, refresh, "EC2 Auto Scaling Instance Refresh Succeeded");
};
