import type { Runtime } from "../runtime.ts";
import type { DrainState, SignalRecord } from "./request.ts";
import { readSignalStatuses, sendDrainSignal, signalable, type SignalOptions } from "./signal.ts";

/** A failed drain signal is sent again this many times in all; then the instance is drained by the load balancer view alone. */
export const MAX_SIGNAL_ATTEMPTS = 3;

const refused = (error: unknown): boolean => error instanceof Error && error.name === "InvalidInstanceId";

const NOT_SIGNALLABLE = "not signalled: not running or not SSM-managed (agent not Online)";

export interface Delivery {
  signals: SignalRecord[];
  /** Instances that cannot take the signal, and why. */
  unsignalled: Record<string, string>;
}

/** SendCommand's target limit: one refused command costs at most this many instances a second look. */
const INSTANCES_PER_SEND = 50;

/**
 * Sends the drain signal to the instances that can receive it; the others are listed with the
 * reason. SendCommand refuses a whole command when one target is not a managed node it can run
 * on (InvalidInstanceId), so it is tried first and only a refused command's instances are looked
 * up (DescribeInstanceInformation, 50 ids a call): a whole batch never costs a burst of Describe calls.
 */
export async function deliverSignal(rt: Runtime, instanceIds: readonly string[], attempt: number, options: SignalOptions): Promise<Delivery> {
  const signals: SignalRecord[] = [];
  const unsignalled: Record<string, string> = {};
  for (let offset = 0; offset < instanceIds.length; offset += INSTANCES_PER_SEND) {
    const chunk = instanceIds.slice(offset, offset + INSTANCES_PER_SEND);
    try {
      signals.push(...(await sendDrainSignal(rt, chunk, attempt, options)));
      continue;
    } catch (error) {
      if (!refused(error)) throw error;
    }
    const reachable = await signalable(rt, chunk);
    for (const id of chunk) if (!reachable.has(id)) unsignalled[id] = NOT_SIGNALLABLE;
    signals.push(...(await sendEach(rt, chunk.filter((id) => reachable.has(id)), attempt, options, unsignalled)));
  }
  return { signals, unsignalled };
}

/** The agent may go away between the look-up and the send: each instance is tried alone, so one refusal spares the others. */
async function sendEach(rt: Runtime, targets: readonly string[], attempt: number, options: SignalOptions, unsignalled: Record<string, string>): Promise<SignalRecord[]> {
  try {
    return await sendDrainSignal(rt, targets, attempt, options);
  } catch (error) {
    if (!refused(error)) throw error;
  }
  const signals: SignalRecord[] = [];
  for (const id of targets) {
    try {
      signals.push(...(await sendDrainSignal(rt, [id], attempt, options)));
    } catch (error) {
      if (!refused(error)) throw error;
      unsignalled[id] = `${NOT_SIGNALLABLE}; SendCommand answered InvalidInstanceId`;
    }
  }
  return signals;
}

export interface FollowUp {
  signals: SignalRecord[];
  signalled: string[];
  /** When each instance's app was first seen drained by its own word (its waiting signal ended Success). */
  appDrainedAt: Record<string, string>;
  unsignalled: Record<string, string>;
  retried: string[];
  givenUp: string[];
  /** The failed invocations' Status/StatusDetails per instance. */
  failures: Record<string, string>;
}

/**
 * Reads the result of each instance's latest signal (SendCommand's acceptance says nothing about
 * the app taking it): Success → signalled and, the signal waiting for it, drained; a failure → sent again while attempts remain and the
 * instance still drains and can take it, else given up on with the reason. undefined when nothing is left to follow.
 */
export async function followUp(rt: Runtime, state: DrainState, live: ReadonlySet<string>, options: SignalOptions): Promise<FollowUp | undefined> {
  const signals = state.signals ?? [];
  const signalled = new Set(state.signalled ?? []);
  const appDrainedAt = { ...(state.appDrainedAt ?? {}) };
  const seenAt = rt.clock.now().toISOString();
  const unsignalled = { ...(state.unsignalled ?? {}) };
  const settled = new Set([...signalled, ...Object.keys(unsignalled)]);
  if (signals.every((signal) => signal.instanceIds.every((id) => settled.has(id)))) return undefined;
  const statuses = await readSignalStatuses(rt, signals, settled);
  const failures: Record<string, string> = {};
  const retryByAttempt = new Map<number, string[]>();
  const givenUp: string[] = [];
  for (const [id, status] of statuses) {
    if (status.state === "delivered") {
      signalled.add(id);
      appDrainedAt[id] ??= seenAt;
    }
    if (status.state !== "failed") continue;
    failures[id] = status.detail;
    if (!live.has(id)) {
      unsignalled[id] = `the drain signal failed (${status.detail}) and the instance is gone`;
    } else if (status.attempt < MAX_SIGNAL_ATTEMPTS) {
      retryByAttempt.set(status.attempt + 1, [...(retryByAttempt.get(status.attempt + 1) ?? []), id]);
    } else {
      unsignalled[id] = `the drain signal failed on all ${MAX_SIGNAL_ATTEMPTS} attempts (last ${status.detail})`;
      givenUp.push(id);
    }
  }
  const retry = [...retryByAttempt.values()].flat();
  const changed = retry.length > 0 || Object.keys(failures).length > 0 || signalled.size !== (state.signalled ?? []).length;
  if (!changed) return undefined;
  const sent: SignalRecord[] = [];
  const refusedNow: Record<string, string> = {};
  for (const [attempt, ids] of retryByAttempt) {
    const delivery = await deliverSignal(rt, ids, attempt, options);
    sent.push(...delivery.signals);
    Object.assign(refusedNow, delivery.unsignalled);
  }
  for (const [id, reason] of Object.entries(refusedNow)) {
    unsignalled[id] = reason;
    givenUp.push(id);
  }
  const delivery = { unsignalled: refusedNow };
  return {
    signals: [...signals, ...sent],
    signalled: [...signalled],
    appDrainedAt,
    unsignalled,
    retried: retry.filter((id) => delivery.unsignalled[id] === undefined),
    givenUp,
    failures,
  };
}
