import { audit } from "../deploy-store.ts";
import { checkDrain, finishDrain, startDrain } from "../drain/pipeline.ts";
import { deregisterOrder } from "../drain/order.ts";
import type { DrainPoll, DrainRequest, DrainState } from "../drain/request.ts";
import { RemediationStateError } from "../errors.ts";
import { describeGroup, setCapacity, terminateInstances } from "../fleet.ts";
import type { Runtime } from "../runtime.ts";
import { describeTargetGroupSettings, targetGroupArnsFor } from "../targets.ts";
import { getRemediation, saveRemediation, type RemediationRecord } from "./record.ts";

/**
 * The hosts an episode takes in hand go through the one drain pipeline (core/drain), because an
 * unhealthy host may still hold live WebSockets: deregister everywhere, signal the app, observe,
 * decide. Only the step after the drain is remediation's: terminate in the ASG without
 * decrementing (it launches the replacement; the episode then waits until one serves in every
 * target group), or keep the host deregistered for its quarantine.
 */

export interface DrainStep extends DrainPoll {
  remediationId: string;
}

function drainingOf(record: RemediationRecord): NonNullable<RemediationRecord["draining"]> {
  if (record.draining === undefined) throw new RemediationStateError(`remediation ${record.remediationId} has no drain in progress`);
  return record.draining;
}

const auditId = (record: RemediationRecord): string => `remediation#${record.remediationId}`;

async function drainRequest(rt: Runtime, remediationId: string): Promise<DrainRequest<void>> {
  let record = await getRemediation(rt, remediationId);
  const draining = drainingOf(record);
  const group = await describeGroup(rt.clients.autoScaling, record.groupName);
  const targetGroupArns = targetGroupArnsFor(group, rt.stage);
  const settings = await describeTargetGroupSettings(rt.clients.elbv2, targetGroupArns);
  const policy = rt.stage.deployDefaults.drain;
  const delaySeconds = Math.max(0, ...settings.map((each) => each.deregistrationDelaySeconds));
  return {
    cause: `remediation ${remediationId} (${draining.purpose})`,
    instanceIds: draining.instanceIds,
    targetGroupArns,
    policy,
    deregistrationDelaySeconds: delaySeconds,
    connectionsAtStart: draining.connectionsAtStart,
    deregister: deregisterOrder(policy, rt.stage.estimates.shedRatePerSecond, draining.connectionsAtStart, delaySeconds),
    journal: {
      state: draining.state,
      record: async (set: Partial<DrainState>, once: Partial<DrainState> = {}) => {
        const current = drainingOf(record);
        const kept = Object.fromEntries(Object.entries(once).filter(([key]) => current.state[key as keyof DrainState] === undefined));
        const state: DrainState = { ...current.state, ...set, ...kept };
        record = await saveRemediation(rt, { ...record, draining: { ...current, state } });
        return state;
      },
      audit: (step, detail) => audit(rt, auditId(record), { step, detail }),
    },
    afterDrain: async () => {
      const { draining: done, ...rest } = record;
      const drained = drainingOf(record);
      const now = rt.clock.now();
      if (drained.purpose === "quarantine") {
        const until = new Date(now.getTime() + rt.stage.remediation.flapping.quarantineSeconds * 1000).toISOString();
        const quarantined = { ...record.quarantined, ...Object.fromEntries(drained.instanceIds.map((id) => [id, { until }])) };
        record = await saveRemediation(rt, { ...rest, quarantined, quarantinesStarted: (record.quarantinesStarted ?? 0) + drained.instanceIds.length });
        await audit(rt, auditId(record), { step: "quarantined", detail: { instanceIds: drained.instanceIds, until } });
        return;
      }
      const current = await describeGroup(rt.clients.autoScaling, record.groupName);
      // After a surge the replacement is already launching: the host leaves with a decrement.
      const terminated = await terminateInstances(rt.clients.autoScaling, current, drained.instanceIds, drained.surgeTo !== undefined);
      const known = drained.knownIds ?? current.instances.map((instance) => instance.instanceId);
      const replacing = {
        instanceIds: [...(record.replacing?.instanceIds ?? []), ...drained.instanceIds],
        knownIds: [...new Set([...(record.replacing?.knownIds ?? []), ...known])],
        terminatedAt: now.toISOString(),
      };
      record = await saveRemediation(rt, { ...rest, replacing });
      await audit(rt, auditId(record), { step: "terminated", detail: { terminated, remaining: done?.state.remainingConnections ?? {} } });
    },
  };
}

/**
 * Capacity first (what the ASG's own ReplaceUnhealthy does not do): a host to replace gets its
 * replacement launched before its drain starts, when the group's MaxSize has room, so the drain
 * and the boot overlap and healthy capacity never waits on the drain. Without room it falls back
 * to terminate-then-replace.
 */
async function surgeForReplacement(rt: Runtime, remediationId: string): Promise<void> {
  const record = await getRemediation(rt, remediationId);
  const draining = drainingOf(record);
  if (draining.purpose !== "replace" || draining.state.deregisteringAt !== undefined) return;
  const group = await describeGroup(rt.clients.autoScaling, record.groupName);
  let surgeTo = draining.surgeTo;
  if (surgeTo === undefined) {
    const wanted = group.desiredCapacity + draining.instanceIds.length;
    if (wanted > group.maxSize) return;
    surgeTo = wanted;
    const knownIds = group.instances.map((instance) => instance.instanceId);
    await saveRemediation(rt, { ...record, draining: { ...draining, surgeTo, knownIds } });
    await audit(rt, auditId(record), { step: "replacement-launched", detail: { instanceIds: draining.instanceIds, desiredCapacity: surgeTo } });
  }
  await setCapacity(rt.clients.autoScaling, group, surgeTo);
}

export async function startRemediationDrain(rt: Runtime, remediationId: string): Promise<DrainStep> {
  await surgeForReplacement(rt, remediationId);
  return { ...(await startDrain(rt, await drainRequest(rt, remediationId))), remediationId };
}

export async function checkRemediationDrain(rt: Runtime, remediationId: string): Promise<DrainStep> {
  const request = await drainRequest(rt, remediationId);
  const record = await getRemediation(rt, remediationId);
  const group = await describeGroup(rt.clients.autoScaling, record.groupName);
  return { ...(await checkDrain(rt, request, group)), remediationId };
}

/** The step after the drain (refused by the pipeline unless drained). */
export async function completeRemediationDrain(rt: Runtime, remediationId: string): Promise<DrainStep> {
  await finishDrain(rt, await drainRequest(rt, remediationId));
  return { done: true, waitSeconds: 1, timedOut: false, remainingConnections: 0, cut: 0, unsignalled: 0, remediationId };
}
