import { latestConnections } from "../connections.ts";
import { describeGroup, liveInstances, setCapacity, setLaunchTemplateVersion, terminateInstances } from "../fleet.ts";
import type { Runtime } from "../runtime.ts";
import { describeTargets } from "../targets.ts";
import type { DeployRecord, GroupView, InstanceView } from "../types.ts";
import { snapshotOf, targetGroupArnsOf } from "./context.ts";
import { configuredCapacity, expectCapacity, noticeCapacityChange } from "./desired-capacity.ts";

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
    const idle = (await idleNewcomers(rt, record, live)).slice(0, excess);
    // Capacity owed but not launched yet (a replacement the ASG has still to start) serves nobody: it goes too.
    const target = Math.max(configured, Math.min(group.desiredCapacity - idle.length, live.length - idle.length));
    // Expected before the changes: a retry then finds only the deploy's own values.
    await expectCapacity(rt, noticed, target);
    removed = await terminateInstances(rt.clients.autoScaling, group, idle, true);
    const desiredNow = group.desiredCapacity - removed.length;
    if (target < desiredNow) await setCapacity(rt.clients.autoScaling, { ...group, desiredCapacity: desiredNow }, target);
    if (target > configured) {
      desiredCapacityKept = `${target - configured} surplus instance(s) already serve clients; the desired capacity stays ${target} rather than cut them off`;
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
