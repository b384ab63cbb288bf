import { latestConnections } from "../connections.ts";
import { describeGroup, liveInstances, setCapacity, setLaunchTemplateVersion, terminateInstances } from "../fleet.ts";
import type { Runtime } from "../runtime.ts";
import { describeTargets } from "../targets.ts";
import type { DeployRecord, GroupView, InstanceView } from "../types.ts";
import { abandonHeldLaunches } from "./abandon-launches.ts";
import { snapshotOf, targetGroupArnsOf } from "./context.ts";
import { configuredCapacity, expectCapacity, noticeCapacityChange } from "./desired-capacity.ts";

/** TerminateInstanceInAutoScalingGroup refuses an instance still launching (ScalingActivityInProgress). */
const isTerminable = (instance: InstanceView): boolean => instance.lifecycleState === "InService" || instance.lifecycleState === "Standby";

export interface RestoredConfiguration {
  desiredCapacity: number;
  /** Surplus instances terminated (with the desired capacity decremented) to get back to it. */
  removed: string[];
  /** Why the desired capacity could not be fully restored (every surplus instance would cut clients). */
  desiredCapacityKept?: string;
  launchTemplateVersion: string;
}

/**
 * Launched during the deploy, never healthy in a target group (so not routed to, fail-open aside)
 * and holding no connection by its own gauge: removing it cuts nobody.
 */
async function idleNewcomers(rt: Runtime, record: DeployRecord, live: readonly InstanceView[]): Promise<string[]> {
  const original = new Set(snapshotOf(record).instances.map((instance) => instance.instanceId));
  const newcomers = live.filter((instance) => !original.has(instance.instanceId)).map((instance) => instance.instanceId);
  const arns = targetGroupArnsOf(record);
  const states = await describeTargets(rt.clients.elbv2, arns, newcomers);
  const connections = await latestConnections(rt.clients.cloudWatch, rt.stage.connectionMetric, newcomers, rt.clock.now());
  return newcomers.filter((id) => arns.every((arn) => states.get(id)?.get(arn)?.state !== "healthy") && (connections[id] ?? 0) === 0);
}

/**
 * After a failure or an abort the group is put back as it was configured (before the deploy, or
 * as someone else set it meanwhile): a surge's extra capacity is removed (only instances that never took a connection, so nobody is
 * cut off), and the launch template goes back to the original version unless every instance
 * already runs the new one (new launches would otherwise silently take a half-deployed version).
 */
export async function restoreConfiguration(rt: Runtime, record: DeployRecord, group: GroupView): Promise<RestoredConfiguration> {
  const snapshot = snapshotOf(record);
  const live = liveInstances(group);
  const noticed = await noticeCapacityChange(rt, record, group);
  const excess = group.desiredCapacity - configuredCapacity(noticed);
  let removed: string[] = [];
  let desiredCapacityKept: string | undefined;
  if (excess > 0) {
    const configured = configuredCapacity(noticed);
    const idleIds = new Set(await idleNewcomers(rt, record, live));
    const idle = live.filter((instance) => idleIds.has(instance.instanceId));
    const terminable = idle.filter(isTerminable).slice(0, excess).map((instance) => instance.instanceId);
    // Still held by a launch hook, a surplus instance can be neither terminated nor detached: ABANDON is its way out.
    const held = idle.filter((instance) => !isTerminable(instance)).slice(0, excess - terminable.length);
    // Capacity owed but not launched yet (a replacement the ASG has still to start) serves nobody: it goes too.
    const targetAfter = (leaving: number): number => Math.max(configured, Math.min(group.desiredCapacity - leaving, live.length - leaving));
    let target = targetAfter(terminable.length + held.length);
    // Expected before the changes: a retry then finds only the deploy's own values.
    await expectCapacity(rt, noticed, target);
    const terminated = await terminateInstances(rt.clients.autoScaling, group, terminable, true);
    const abandoned = await abandonHeldLaunches(rt, record, held);
    removed = [...terminated, ...abandoned];
    if (removed.length < terminable.length + held.length) {
      target = targetAfter(removed.length);
      await expectCapacity(rt, noticed, target);
    }
    const desiredNow = group.desiredCapacity - terminated.length;
    if (target < desiredNow) await setCapacity(rt.clients.autoScaling, { ...group, desiredCapacity: desiredNow }, target);
    if (target > configured) {
      const launching = held.length - abandoned.length;
      const why = launching > 0 ? `${launching} surplus instance(s) still launching and the rest serve clients` : `${target - configured} surplus instance(s) already serve clients`;
      desiredCapacityKept = `${why}; the desired capacity stays ${target} rather than cut them off`;
    }
  }
  const gone = new Set(removed);
  const remaining = live.filter((instance) => !gone.has(instance.instanceId));
  const allNew = remaining.length > 0 && remaining.every((instance) => instance.launchTemplateVersion === record.targetVersion);
  const template = allNew ? group.launchTemplate : snapshot.launchTemplate;
  if (template.version !== group.launchTemplate.version) await setLaunchTemplateVersion(rt.clients.autoScaling, group.name, template);
  const after = removed.length > 0 || excess > 0 ? (await describeGroup(rt.clients.autoScaling, group.name)).desiredCapacity : group.desiredCapacity;
  return { desiredCapacity: after, removed, launchTemplateVersion: template.version, ...(desiredCapacityKept === undefined ? {} : { desiredCapacityKept }) };
}
