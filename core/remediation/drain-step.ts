import { latestConnections } from "../connections.ts";
import { beginDrain, decideDrain, observeDrain } from "../drain.ts";
import { RemediationStateError } from "../errors.ts";
import { describeGroup, liveInstances, terminateInstances } from "../fleet.ts";
import type { Runtime } from "../runtime.ts";
import { describeTargetGroupSettings, targetGroupArnsFor } from "../targets.ts";
import { getRemediation, saveRemediation, type RemediationRecord } from "./record.ts";

/**
 * The hosts the episode took in hand go through the drain path every trigger shares
 * (core/drain.ts: deregister everywhere, signal the app, observe, decide), because an unhealthy
 * host may still hold live WebSockets. Only the step after the drain is remediation's own:
 * terminate in the ASG (a replacement launches; the episode then waits until it serves in every
 * target group) or keep the host deregistered for its quarantine.
 */

export interface DrainStep {
  done: boolean;
  waitSeconds: number;
  remediationId: string;
}

function drainingOf(record: RemediationRecord): NonNullable<RemediationRecord["draining"]> {
  if (record.draining === undefined) throw new RemediationStateError(`remediation ${record.remediationId} has no drain in progress`);
  return record.draining;
}

async function drainContext(rt: Runtime, record: RemediationRecord, since: Date) {
  const group = await describeGroup(rt.clients.autoScaling, record.groupName);
  const arns = targetGroupArnsFor(group, rt.stage);
  const settings = await describeTargetGroupSettings(rt.clients.elbv2, arns);
  return {
    group,
    arns,
    context: {
      policy: rt.stage.deployDefaults.drain,
      since,
      now: rt.clock.now(),
      connectionsAtStart: drainingOf(record).connectionsAtStart,
      shedRatePerSecond: rt.stage.estimates.shedRatePerSecond,
      metricPeriodSeconds: rt.stage.connectionMetric.periodSeconds,
      deregistrationDelaySeconds: Math.max(0, ...settings.map((each) => each.deregistrationDelaySeconds)),
    },
  };
}

export async function startRemediationDrain(rt: Runtime, remediationId: string): Promise<DrainStep> {
  let record = await getRemediation(rt, remediationId);
  const draining = drainingOf(record);
  if (draining.deregisteredAt === "") {
    const connectionsAtStart = await latestConnections(rt.clients.cloudWatch, rt.stage.connectionMetric, draining.instanceIds, rt.clock.now());
    const group = await describeGroup(rt.clients.autoScaling, record.groupName);
    await beginDrain(rt, draining.instanceIds, targetGroupArnsFor(group, rt.stage), rt.stage.deployDefaults.drain.signal);
    record = await saveRemediation(rt, { ...record, draining: { ...draining, deregisteredAt: rt.clock.now().toISOString(), connectionsAtStart } });
  }
  const since = new Date(drainingOf(record).deregisteredAt);
  const { context } = await drainContext(rt, record, since);
  const nothingSeenYet = draining.instanceIds.map((instanceId) => ({ instanceId, gone: false, deregistered: false, fresh: [] }));
  return { done: false, waitSeconds: decideDrain(nothingSeenYet, context).waitSeconds, remediationId };
}

export async function checkRemediationDrain(rt: Runtime, remediationId: string): Promise<DrainStep> {
  const record = await getRemediation(rt, remediationId);
  const draining = drainingOf(record);
  const since = new Date(draining.deregisteredAt);
  const { group, arns, context } = await drainContext(rt, record, since);
  const live = new Set(liveInstances(group).map((instance) => instance.instanceId));
  const decision = decideDrain(await observeDrain(rt, draining.instanceIds, live, arns, since), context);
  return { done: decision.done, waitSeconds: decision.waitSeconds, remediationId };
}

/** The step after the drain: terminate for replacement, or start the quarantine. */
export async function completeRemediationDrain(rt: Runtime, remediationId: string): Promise<DrainStep> {
  const record = await getRemediation(rt, remediationId);
  const draining = drainingOf(record);
  const now = rt.clock.now();
  const { draining: _done, ...rest } = record;
  if (draining.purpose === "quarantine") {
    const until = new Date(now.getTime() + rt.stage.remediation.flapping.quarantineSeconds * 1000).toISOString();
    const quarantined = { ...record.quarantined, ...Object.fromEntries(draining.instanceIds.map((id) => [id, { until }])) };
    await saveRemediation(rt, { ...rest, quarantined, quarantinesStarted: (record.quarantinesStarted ?? 0) + draining.instanceIds.length });
    return { done: true, waitSeconds: 1, remediationId };
  }
  const group = await describeGroup(rt.clients.autoScaling, record.groupName);
  // Terminated in the ASG without decrementing: it launches the replacement (ReplaceUnhealthy is Ebb's to hold).
  await terminateInstances(rt.clients.autoScaling, group, draining.instanceIds, false);
  const replacing = {
    instanceIds: [...(record.replacing?.instanceIds ?? []), ...draining.instanceIds],
    knownIds: [...new Set([...(record.replacing?.knownIds ?? []), ...group.instances.map((instance) => instance.instanceId)])],
    terminatedAt: now.toISOString(),
  };
  await saveRemediation(rt, { ...rest, replacing });
  return { done: true, waitSeconds: 1, remediationId };
}
