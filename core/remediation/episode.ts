import { DescribeAutoScalingGroupsCommand } from "@aws-sdk/client-auto-scaling";
import { describeAlarmStates } from "../alarms.ts";
import { latestConnections } from "../connections.ts";
import { AlarmNotRemediable, DeployInProgress } from "../errors.ts";
import { acquireLock, releaseLock } from "../lock.ts";
import type { Runtime } from "../runtime.ts";
import { registerInstances } from "../targets.ts";
import { liveInstances, terminateInstances } from "../fleet.ts";
import { signalUndrain } from "../drain/signal.ts";
import { replacementsInWindow, takeReplacementSlot } from "./budget.ts";
import { hostsInHand, readFleetHealth, bootingHosts, recordRead, type FleetHealth } from "./fleet-health.ts";
import { decideHealth, healthCheckIntervalSeconds, observeHealth } from "../health.ts";
import { describeTargetGroupSettings } from "../targets.ts";
import { replacementAllowance, sharedOutageVerdict } from "./guard.ts";
import { beginOutageHold, clearRecoveredMarks, endOutageHold, holdHealthReplacement } from "./outage.ts";
import { createRemediation, getRemediation, previousHostHistory, saveRemediation, type DrainPurpose, type RemediationRecord } from "./record.ts";
import type { RemediationInput } from "./intake.ts";

/**
 * One alarm episode, as a loop of short steps: read every host's health in every target group,
 * count it into the host's history, then decide. The episode lasts while the alarm is in ALARM
 * or Ebb has hosts in hand, so hosts that fail one after another under one alarm are all seen.
 */

export type StepAction = "wait" | "drain" | "done";
export interface StepResult {
  action: StepAction;
  waitSeconds: number;
  remediationId: string;
}

/** Finds the stage's group that serves the alarm's target group; records the episode. */
export async function beginRemediation(rt: Runtime, input: RemediationInput): Promise<StepResult> {
  const response = await rt.clients.autoScaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [...rt.stage.autoScalingGroups] }));
  const group = (response.AutoScalingGroups ?? []).find(
    (candidate) => (candidate.TargetGroupARNs ?? []).includes(input.targetGroupArn) || (rt.stage.targetRegistration === "ebb" && rt.stage.targetGroupArns.includes(input.targetGroupArn)),
  );
  const groupName = group?.AutoScalingGroupName;
  if (groupName === undefined) throw new AlarmNotRemediable(input.alarmName, `no Auto Scaling group of this stage serves ${input.targetGroupArn}`);
  const now = rt.clock.now().toISOString();
  const targetGroups = await describeTargetGroupSettings(rt.clients.elbv2, group?.TargetGroupARNs ?? [input.targetGroupArn]);
  await createRemediation(rt, {
    intervalSeconds: healthCheckIntervalSeconds(targetGroups),
    readSpacingSeconds: Math.max(1, ...targetGroups.map((each) => each.healthCheckIntervalSeconds * each.healthyThreshold)),
    remediationId: input.remediationId,
    alarmName: input.alarmName,
    alarmChangedAt: input.alarmChangedAt,
    groupName,
    targetGroupArns: [input.targetGroupArn],
    startedAt: now,
    version: 0,
    hosts: await previousHostHistory(rt, groupName),
    quarantined: {},
    outagesDetected: [],
    replaced: [],
    notRemediated: [],
    lockHeld: false,
  });
  return { action: "wait", waitSeconds: 1, remediationId: input.remediationId };
}

/** Takes the group's lock for this episode; a deploy holding it makes the episode queue (wait and look again). */
async function holdLock(rt: Runtime, record: RemediationRecord): Promise<{ record: RemediationRecord; held: boolean; holder?: string }> {
  if (record.lockHeld) return { record, held: true };
  try {
    await acquireLock(rt, record.groupName, `remediation:${record.remediationId}`, "remediation");
    const { queuedSince: _queued, ...rest } = record;
    return { record: { ...rest, lockHeld: true }, held: true };
  } catch (error) {
    if (!(error instanceof DeployInProgress)) throw error;
    return { record: { ...record, queuedSince: record.queuedSince ?? rt.clock.now().toISOString() }, held: false, holder: error.message };
  }
}

const notRemediated = (record: RemediationRecord, instanceId: string, reason: string, at: string): RemediationRecord =>
  record.notRemediated.some((entry) => entry.instanceId === instanceId && entry.reason === reason)
    ? record
    : { ...record, notRemediated: [...record.notRemediated, { instanceId, reason, at }] };

/** Quarantines whose cool-down is over: registered back and told to accept connections again, then rechecked like any host. */
async function releaseQuarantines(rt: Runtime, record: RemediationRecord, fleet: FleetHealth): Promise<RemediationRecord> {
  const nowMs = rt.clock.now().getTime();
  const due = Object.entries(record.quarantined).filter(([, entry]) => Date.parse(entry.until) <= nowMs).map(([id]) => id);
  if (due.length === 0) return record;
  const live = new Set(fleet.group.instances.map((instance) => instance.instanceId));
  const back = due.filter((id) => live.has(id));
  await registerInstances(rt.clients.elbv2, fleet.targetGroupArns, back);
  await signalUndrain(rt, back, rt.stage.deployDefaults.drain.signal);
  const quarantined = Object.fromEntries(Object.entries(record.quarantined).filter(([id]) => !due.includes(id)));
  const hosts = { ...record.hosts };
  for (const id of due) {
    const history = hosts[id];
    if (history !== undefined) hosts[id] = { ...history, unhealthyReads: 0, quarantines: history.quarantines + 1 };
  }
  return { ...record, quarantined, hosts };
}

/**
 * Replacements are verified by the one health verifier (core/health.ts, as the deploy batch and
 * the launch hook verify theirs): once as many new instances as were terminated are InService and
 * healthy in every target group. One observation is enough: the load balancer already demanded
 * its HealthyThresholdCount of passing checks before it showed the target healthy.
 */
async function settleReplacements(rt: Runtime, record: RemediationRecord, fleet: FleetHealth): Promise<RemediationRecord> {
  const replacing = record.replacing;
  if (replacing === undefined) return record;
  const now = rt.clock.now();
  const known = new Set(replacing.knownIds);
  const fresh = liveInstances(fleet.group).filter((instance) => !known.has(instance.instanceId));
  const { observations } = await observeHealth(rt.clients.elbv2, fresh, fleet.targetGroupArns, replacing.healthObservations, now, record.intervalSeconds);
  const decision = decideHealth(observations, {
    now,
    startedAt: new Date(replacing.terminatedAt),
    expectedNewInstances: replacing.instanceIds.length,
    requiredConsecutive: 1,
    intervalSeconds: record.intervalSeconds,
    firstHealthyAfterSeconds: 0,
    timeoutSeconds: rt.stage.remediation.maxEpisodeSeconds,
  });
  if (decision.verified.length < replacing.instanceIds.length) return { ...record, replacing: { ...replacing, healthObservations: observations } };
  const verifiedAt = now.toISOString();
  const { replacing: _done, ...rest } = record;
  return { ...rest, replaced: [...record.replaced, ...replacing.instanceIds.map((instanceId) => ({ instanceId, terminatedAt: replacing.terminatedAt, verifiedAt }))] };
}

/** The loop's one step: observe, count, guard, and either wait, hand hosts to the drain, or end the episode. */
export async function assessRemediation(rt: Runtime, remediationId: string): Promise<StepResult> {
  const settings = rt.stage.remediation;
  let record = await getRemediation(rt, remediationId);
  const now = rt.clock.now();
  const at = now.toISOString();
  const result = (action: StepAction, waitSeconds: number): StepResult => ({ action, waitSeconds, remediationId });
  if (record.draining !== undefined) return result("drain", 1);
  let fleet = await readFleetHealth(rt, record.groupName);
  await holdHealthReplacement(rt, fleet.group);
  const interval = record.intervalSeconds;
  record = await settleReplacements(rt, record, fleet);
  record = await releaseQuarantines(rt, record, fleet);
  const inHand = hostsInHand(record);
  const hosts = { ...record.hosts };
  for (const host of fleet.hosts) if (!inHand.has(host.instanceId)) hosts[host.instanceId] = recordRead(hosts[host.instanceId], host.status, now, record.readSpacingSeconds);
  record = { ...record, hosts };
  const failingNow = fleet.hosts.filter((host) => host.status === "unhealthy" && !inHand.has(host.instanceId)).map((host) => host.instanceId);
  const booting = await bootingHosts(rt, failingNow, hosts, fleet.group.healthCheckGracePeriodSeconds ?? 0);
  const judged = fleet.hosts
    .filter((host) => !inHand.has(host.instanceId))
    .map((host) => (booting.has(host.instanceId) ? { ...host, status: "pending" as const } : host));

  const verdict = sharedOutageVerdict(judged, settings.sharedOutage);
  if (verdict.outage) {
    const heldSeconds = record.outage === undefined ? 0 : (now.getTime() - Date.parse(record.outage.detectedAt)) / 1000;
    if (record.outage === undefined) record = await beginOutageHold(rt, record, fleet, verdict);
    else if (heldSeconds >= settings.sharedOutage.maxHoldSeconds) {
      record = await endOutageHold(rt, record, fleet);
      for (const host of judged.filter((each) => each.status === "unhealthy")) record = notRemediated(record, host.instanceId, `shared outage: ${verdict.reason}; hold ended after ${settings.sharedOutage.maxHoldSeconds} s`, at);
      await saveRemediation(rt, record);
      return result("done", 1);
    }
    await saveRemediation(rt, record);
    return result("wait", interval);
  }
  if (record.outage !== undefined) {
    record = await endOutageHold(rt, record, fleet);
    // What the outage did to each host's history is the outage's, not the host's.
    for (const host of judged) record.hosts[host.instanceId] = { unhealthyReads: 0, transitions: 0, quarantines: record.hosts[host.instanceId]?.quarantines ?? 0, ...(host.status === "pending" ? {} : { lastStatus: host.status, lastReadAt: at }) };
  }
  // A host that recovered is left alone; the mark the ASG's own check left on it is cleared.
  fleet = { ...fleet };
  await clearRecoveredMarks(rt, fleet);

  const failing = judged.filter((host) => host.status === "unhealthy");
  const flappers = failing.filter((host) => (record.hosts[host.instanceId]?.transitions ?? 0) >= settings.flapping.transitions);
  const confirmed = failing.filter((host) => !flappers.includes(host) && (record.hosts[host.instanceId]?.unhealthyReads ?? 0) >= settings.confirmChecks);
  const unconfirmed = failing.length - flappers.length - confirmed.length;

  const work: { ids: string[]; purpose: DrainPurpose } | undefined = await (async () => {
    const quarantine = flappers.filter((host) => {
      if ((record.hosts[host.instanceId]?.quarantines ?? 0) < settings.flapping.maxQuarantines) return true;
      record = notRemediated(record, host.instanceId, `flapping: still alternating after ${settings.flapping.maxQuarantines} quarantine(s); left in service, not replaced`, at);
      return false;
    });
    if (quarantine.length > 0) return { ids: quarantine.slice(0, 1).map((host) => host.instanceId), purpose: "quarantine" as const };
    const open = confirmed.filter((host) => !record.notRemediated.some((entry) => entry.instanceId === host.instanceId));
    if (open.length === 0) return undefined;
    const healthy = fleet.hosts.filter((host) => host.status === "healthy").length;
    const allowance = replacementAllowance(
      { inFlight: record.replacing?.instanceIds.length ?? 0, usedInWindow: await replacementsInWindow(rt, record.groupName), healthy, desiredCapacity: fleet.group.desiredCapacity },
      settings.budget,
    );
    if (allowance.allowed === 0) {
      if (allowance.reason !== undefined) for (const host of open) record = notRemediated(record, host.instanceId, allowance.reason, at);
      return undefined;
    }
    const ids: string[] = [];
    for (const host of open.slice(0, allowance.allowed)) {
      if (await takeReplacementSlot(rt, record.groupName, host.instanceId)) ids.push(host.instanceId);
      else record = notRemediated(record, host.instanceId, `budget spent: ${settings.budget.maxPerWindow} replacement(s) per ${settings.budget.windowSeconds} s`, at);
    }
    return ids.length > 0 ? { ids, purpose: "replace" as const } : undefined;
  })();

  if (work !== undefined) {
    const lock = await holdLock(rt, record);
    record = lock.record;
    if (!lock.held) {
      const waited = (now.getTime() - Date.parse(record.queuedSince ?? at)) / 1000;
      if (waited >= settings.lockWaitSeconds) {
        for (const id of work.ids) record = notRemediated(record, id, `the group stayed locked ${settings.lockWaitSeconds} s (${lock.holder ?? "a deploy"})`, at);
      } else {
        await saveRemediation(rt, record);
        return result("wait", 60);
      }
    } else {
      const connectionsAtStart = await latestConnections(rt.clients.cloudWatch, rt.stage.connectionMetric, work.ids, now);
      record = { ...record, draining: { instanceIds: work.ids, purpose: work.purpose, connectionsAtStart, state: {} } };
      await saveRemediation(rt, record);
      return result("drain", 1);
    }
  }

  const busy = record.replacing !== undefined || Object.keys(record.quarantined).length > 0 || record.outage !== undefined;
  if (!busy && record.lockHeld) {
    await releaseLock(rt, record.groupName, `remediation:${record.remediationId}`);
    record = { ...record, lockHeld: false };
  }
  const episodeSeconds = (now.getTime() - Date.parse(record.startedAt)) / 1000;
  const alarm = (await describeAlarmStates(rt.clients.cloudWatch, [record.alarmName]))[0];
  const pending = unconfirmed > 0 || failing.some((host) => !record.notRemediated.some((entry) => entry.instanceId === host.instanceId));
  const over = !busy && (!pending || episodeSeconds >= settings.maxEpisodeSeconds) && alarm?.state !== "ALARM";
  const stuck = !busy && failing.length > 0 && failing.every((host) => record.notRemediated.some((entry) => entry.instanceId === host.instanceId));
  if (over || stuck || episodeSeconds >= settings.maxEpisodeSeconds) {
    for (const host of failing) if (!record.notRemediated.some((entry) => entry.instanceId === host.instanceId)) record = notRemediated(record, host.instanceId, "the episode ended first", at);
    await saveRemediation(rt, record);
    return result("done", 1);
  }
  await saveRemediation(rt, record);
  return result("wait", pending || busy ? interval : 30);
}

export interface RemediationSummary {
  remediationId: string;
  groupName: string;
  replaced: string[];
  quarantines: number;
  outagesDetected: RemediationRecord["outagesDetected"];
  notRemediated: RemediationRecord["notRemediated"];
}

/**
 * Every way out: ends an outage hold, puts back in service what the episode took out without
 * terminating it (a drain that failed midway, a quarantine), releases the lock, records the
 * outcome. Safe to repeat.
 */
export async function finishRemediation(rt: Runtime, remediationId: string, error?: string): Promise<RemediationSummary> {
  let record = await getRemediation(rt, remediationId);
  const fleet = await readFleetHealth(rt, record.groupName);
  if (record.outage !== undefined) record = await endOutageHold(rt, record, fleet);
  const live = new Set(fleet.group.instances.filter((instance) => instance.lifecycleState === "InService").map((instance) => instance.instanceId));
  const takenOut = [...(record.draining?.instanceIds ?? []), ...Object.keys(record.quarantined)].filter((id) => live.has(id));
  if (takenOut.length > 0) {
    await undoSurge(rt, record, fleet);
    await registerInstances(rt.clients.elbv2, fleet.targetGroupArns, takenOut);
    await signalUndrain(rt, takenOut, rt.stage.deployDefaults.drain.signal);
    const { draining: _draining, ...rest } = record;
    record = { ...rest, quarantined: {} };
    for (const id of takenOut) record = notRemediated(record, id, `the episode ended (${error ?? "done"}) with the host out of service: registered back`, rt.clock.now().toISOString());
  }
  if (record.lockHeld) await releaseLock(rt, record.groupName, `remediation:${record.remediationId}`);
  record = { ...record, lockHeld: false, finishedAt: record.finishedAt ?? rt.clock.now().toISOString(), outcome: error ?? "Succeeded" };
  await saveRemediation(rt, record);
  return summaryOf(record);
}

/**
 * A drain that ended before its host was terminated leaves the surge's replacement as one
 * instance too many: it goes, with a decrement (it is the newest and holds the fewest clients),
 * so the group's desired capacity is what it was.
 */
async function undoSurge(rt: Runtime, record: RemediationRecord, fleet: FleetHealth): Promise<void> {
  const draining = record.draining;
  if (draining?.surgeTo === undefined || draining.knownIds === undefined) return;
  const known = new Set(draining.knownIds);
  const extra = fleet.group.instances.filter((instance) => !known.has(instance.instanceId)).map((instance) => instance.instanceId).slice(0, draining.instanceIds.length);
  await terminateInstances(rt.clients.autoScaling, fleet.group, extra, true);
}

export const summaryOf = (record: RemediationRecord): RemediationSummary => ({
  remediationId: record.remediationId,
  groupName: record.groupName,
  replaced: record.replaced.map((entry) => entry.instanceId),
  quarantines: record.quarantinesStarted ?? 0,
  outagesDetected: record.outagesDetected,
  notRemediated: record.notRemediated,
});
