import { SendCommandCommand } from "@aws-sdk/client-ssm";
import { connectionDatapoints, datapointsAfter, type Datapoint } from "./connections.ts";
import type { DrainSettings } from "./deploy-settings.ts";
import type { Runtime } from "./runtime.ts";
import { deregisterServing, describeTargets, isDeregistered } from "./targets.ts";
import { drainSeconds } from "./timing.ts";

/** Runs the stage's drainCommand (and undrainCommand) on the instances; IAM allows SendCommand with this document only. */
export const DRAIN_DOCUMENT = "AWS-RunShellScript";

/**
 * The one drain path (deploys, the terminate lifecycle hook and remediation all use it):
 * deregister the instance from every target group it serves in → tell the app to shed → measure
 * its connections on datapoints newer than the deregistration → decide (drained, wait, timed out).
 */

const SSM_TARGETS_PER_COMMAND = 50;

export interface DrainStart {
  deregistrations: number;
  commandIds: string[];
}

/** Runs one shell command on the instances, SSM_TARGETS_PER_COMMAND at a time; returns the command ids. */
async function runOnInstances(rt: Runtime, instanceIds: readonly string[], command: string, comment: string): Promise<string[]> {
  const commandIds: string[] = [];
  for (let offset = 0; offset < instanceIds.length; offset += SSM_TARGETS_PER_COMMAND) {
    const response = await rt.clients.ssm.send(
      new SendCommandCommand({
        DocumentName: DRAIN_DOCUMENT,
        InstanceIds: instanceIds.slice(offset, offset + SSM_TARGETS_PER_COMMAND),
        Parameters: { commands: [command] },
        Comment: comment,
      }),
    );
    if (response.Command?.CommandId !== undefined) commandIds.push(response.Command.CommandId);
  }
  return commandIds;
}

/** Deregisters everywhere, then signals the app (SSM `ebb-drain`). Safe to repeat. */
export async function beginDrain(
  rt: Runtime,
  instanceIds: readonly string[],
  targetGroupArns: readonly string[],
  signal: DrainSettings["signal"],
): Promise<DrainStart> {
  const states = await describeTargets(rt.clients.elbv2, targetGroupArns, instanceIds);
  const deregistrations = await deregisterServing(rt.clients.elbv2, states);
  const commandIds = signal === "ssm" ? await runOnInstances(rt, instanceIds, rt.stage.drainCommand, "ebb: shed connections before termination") : [];
  return { deregistrations, commandIds };
}

/**
 * The reverse of the drain signal, for instances registered back instead of terminated (an
 * aborted deploy): a drained app passes health checks but refuses connections until told
 * (SSM `ebb-undrain`). Only instances that got the drain signal get this one; safe to repeat.
 */
export async function signalUndrain(rt: Runtime, instanceIds: readonly string[], signal: DrainSettings["signal"]): Promise<string[]> {
  if (signal !== "ssm") return [];
  return runOnInstances(rt, instanceIds, rt.stage.undrainCommand, "ebb: accept connections again after an aborted drain");
}

/** What one poll saw of one draining instance. */
export interface DrainObservation {
  instanceId: string;
  /** No longer in the group, or not running: nothing left to drain. */
  gone: boolean;
  /** Every target group finished deregistering it (an ALB does so at once with no connections left). */
  deregistered: boolean;
  /** Gauge datapoints strictly newer than the deregistration, oldest first. */
  fresh: Datapoint[];
}

export async function observeDrain(
  rt: Runtime,
  instanceIds: readonly string[],
  liveInstanceIds: ReadonlySet<string>,
  targetGroupArns: readonly string[],
  since: Date,
): Promise<DrainObservation[]> {
  const live = instanceIds.filter((id) => liveInstanceIds.has(id));
  const now = rt.clock.now();
  const [states, series] = await Promise.all([
    describeTargets(rt.clients.elbv2, targetGroupArns, live),
    connectionDatapoints(rt.clients.cloudWatch, rt.stage.connectionMetric, live, since, new Date(now.getTime() + 1000)),
  ]);
  return instanceIds.map((instanceId) => {
    const perGroup = states.get(instanceId);
    return {
      instanceId,
      gone: !liveInstanceIds.has(instanceId),
      deregistered: perGroup !== undefined && perGroup.size > 0 && [...perGroup.values()].every(isDeregistered),
      fresh: datapointsAfter(series.get(instanceId) ?? [], since),
    };
  });
}

export interface DrainContext {
  policy: DrainSettings;
  /** When the instances were deregistered. */
  since: Date;
  now: Date;
  /** Connections each instance held when its drain began (for the first prediction). */
  connectionsAtStart: Readonly<Record<string, number>>;
  shedRatePerSecond: number;
  metricPeriodSeconds: number;
  deregistrationDelaySeconds: number;
}

export interface DrainDecision {
  done: boolean;
  timedOut: boolean;
  waitSeconds: number;
  drained: string[];
  /** Deregistration ended by the delay with connections still open: the load balancer cut them (never "drained"). */
  cut: string[];
  /** Latest known connections of each instance not drained yet. */
  remaining: Record<string, number>;
}

/** The load balancer finished deregistering it only when the delay expired, and it still held connections then. */
function wasCut(observation: DrainObservation, context: DrainContext): boolean {
  if (observation.gone || !observation.deregistered) return false;
  const delayEndMs = context.since.getTime() + context.deregistrationDelaySeconds * 1000;
  if (context.now.getTime() < delayEndMs) return false;
  const lastBefore = observation.fresh.filter((point) => point.timestamp.getTime() < delayEndMs).at(-1)?.value;
  return (lastBefore ?? context.connectionsAtStart[observation.instanceId] ?? 0) > context.policy.maxRemainingConnections;
}

function isDrained(observation: DrainObservation, maxRemaining: number): boolean {
  const latest = observation.fresh.at(-1);
  return observation.gone || observation.deregistered || (latest !== undefined && latest.value <= maxRemaining);
}

/** When the instance should be drained (epoch ms): from its measured shed rate, or the estimate. */
function predictDrainedAtMs(observation: DrainObservation, context: DrainContext): number {
  const first = observation.fresh[0];
  const last = observation.fresh.at(-1);
  const base = last ?? { timestamp: context.since, value: context.connectionsAtStart[observation.instanceId] ?? 0 };
  let rate = context.policy.signal === "ssm" ? context.shedRatePerSecond : 0;
  if (first !== undefined && last !== undefined && last.timestamp > first.timestamp && first.value > last.value) {
    rate = (first.value - last.value) / ((last.timestamp.getTime() - first.timestamp.getTime()) / 1000);
  }
  const seconds = drainSeconds({
    connections: base.value,
    maxRemainingConnections: context.policy.maxRemainingConnections,
    shedRatePerSecond: rate,
    deregistrationDelaySeconds: context.deregistrationDelaySeconds,
    timeoutSeconds: context.policy.timeoutSeconds,
  });
  // Shedding goes on from the latest count; without it only the delay ends the drain, counted from the deregistration.
  return (rate > 0 ? base.timestamp.getTime() : context.since.getTime()) + seconds * 1000;
}

/**
 * Drained when every instance is; timed out at policy.timeoutSeconds. Otherwise wait until the
 * earliest predicted completion (+1 s for the load balancer to notice); once a prediction is
 * overdue, poll again after a quarter of the delay, between 2 s and one metric period.
 */
export function decideDrain(observations: readonly DrainObservation[], context: DrainContext): DrainDecision {
  const drained: string[] = [];
  const cut: string[] = [];
  const remaining: Record<string, number> = {};
  const nowMs = context.now.getTime();
  let nextMs = Number.POSITIVE_INFINITY;
  for (const observation of observations) {
    if (wasCut(observation, context)) {
      cut.push(observation.instanceId);
      continue;
    }
    if (isDrained(observation, context.policy.maxRemainingConnections)) {
      drained.push(observation.instanceId);
      continue;
    }
    remaining[observation.instanceId] = observation.fresh.at(-1)?.value ?? context.connectionsAtStart[observation.instanceId] ?? 0;
    const predictedMs = predictDrainedAtMs(observation, context) + 1000;
    const overdueSeconds = (nowMs - predictedMs) / 1000;
    const retrySeconds = Math.min(context.metricPeriodSeconds, Math.max(2, Math.ceil(overdueSeconds / 4)));
    nextMs = Math.min(nextMs, predictedMs > nowMs ? predictedMs : nowMs + retrySeconds * 1000);
  }
  const deadlineMs = context.since.getTime() + context.policy.timeoutSeconds * 1000;
  const pending = Object.keys(remaining).length;
  const timedOut = pending > 0 && nowMs >= deadlineMs;
  const waitMs = Math.min(nextMs, deadlineMs) - nowMs;
  return {
    done: pending === 0 || timedOut,
    timedOut,
    waitSeconds: Math.max(1, Math.ceil(waitMs / 1000)),
    drained,
    cut,
    remaining,
  };
}
