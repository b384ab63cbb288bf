import { connectionDatapoints, datapointsAfter } from "../connections.ts";
import { DrainNotFinished } from "../errors.ts";
import { recordDrained } from "../metrics.ts";
import type { Runtime } from "../runtime.ts";
import { deregisterServing, describeTargets, isDeregistered, isServing, type TargetStates } from "../targets.ts";
import type { GroupView } from "../types.ts";
import { recordDeregistrations } from "./deregistrations.ts";
import { decideDrain, type DrainContext, type DrainDecision, type DrainObservation } from "./decide.ts";
import { deadInstances, drainingInstanceIds } from "./liveness.ts";
import type { DrainOutcome, DrainPoll, DrainRequest, DrainState } from "./request.ts";
import { deliverSignal, followUp } from "./signal-delivery.ts";
import type { SignalOptions } from "./signal.ts";

/**
 * The one drain pipeline. Every trigger (deploy batch, terminate lifecycle hook, remediation)
 * builds a DrainRequest and runs the same steps, each safe to repeat:
 *   startDrain  record the intent → deregister from every target group → signal the app
 *   checkDrain  observe (targets, fresh datapoints, the signal's result) → decide
 *   finishDrain run the trigger's after-drain step on a drained request.
 */

function contextOf(rt: Runtime, request: DrainRequest, state: DrainState, since: Date): DrainContext {
  return {
    policy: request.policy,
    since,
    now: rt.clock.now(),
    connectionsAtStart: request.connectionsAtStart,
    shedRatePerSecond: Math.min(rt.stage.estimates.shedRatePerSecond, request.shedRatePerSecond ?? Number.POSITIVE_INFINITY),
    metricPeriodSeconds: rt.stage.connectionMetric.periodSeconds,
    deregistrationDelaySeconds: request.deregistrationDelaySeconds,
    unsignalled: new Set(Object.keys(state.unsignalled ?? {})),
  };
}

/** The signal waits for the app to hold no connection, up to the drain's deadline. */
const signalOptions = (request: DrainRequest): SignalOptions => ({ shedRatePerSecond: request.shedRatePerSecond, waitSeconds: request.policy.timeoutSeconds });

const sum = (values: Record<string, number>): number => Object.values(values).reduce((total, value) => total + value, 0);

function pollOf(decision: DrainDecision, state: DrainState): DrainPoll {
  return {
    done: decision.done,
    waitSeconds: decision.waitSeconds,
    timedOut: decision.timedOut,
    remainingConnections: sum(decision.remaining),
    cut: decision.cut.length,
    unsignalled: Object.keys(state.unsignalled ?? {}).length,
  };
}

/** Instance → the target groups it is serving in. */
const servingIn = (states: TargetStates): Map<string, string[]> =>
  new Map([...states].map(([instanceId, perGroup]) => [instanceId, [...perGroup].filter(([, target]) => isServing(target)).map(([arn]) => arn)]));

/** Records the intent, then takes the instances out of every target group. Safe to repeat (a deregistered target is not deregistered twice). */
async function deregister(rt: Runtime, request: DrainRequest): Promise<{ state: DrainState; deregistrations: number }> {
  // Recorded first: if anything below fails, every way out knows these instances may be out of the load balancer.
  await request.journal.record({}, { deregisteringAt: rt.clock.now().toISOString() });
  const states = await describeTargets(rt.clients.elbv2, request.targetGroupArns, request.instanceIds);
  // Also first: Ebb's own deregistrations are the only ones the reconciler may undo when the ASG owns registration.
  await recordDeregistrations(rt, servingIn(states), request.cause);
  const deregistrations = await deregisterServing(rt.clients.elbv2, states);
  const state = await request.journal.record({}, { deregisteredAt: rt.clock.now().toISOString() });
  return { state, deregistrations };
}

/** Where the drain's window starts: the deregistration, or the signal of a `when-drained` drain. */
const sinceOf = (state: DrainState): string | undefined => state.deregisteredAt ?? state.drainStartedAt;

/** Deregisters the instances everywhere (unless `when-drained`), then signals the ones that can take it; the first wait is the predicted drain. */
export async function startDrain(rt: Runtime, request: DrainRequest): Promise<DrainPoll> {
  const { journal } = request;
  const deferred = request.deregister === "when-drained";
  let state: DrainState;
  let deregistrations = 0;
  if (deferred) state = await journal.record({}, { drainStartedAt: rt.clock.now().toISOString() });
  else ({ state, deregistrations } = await deregister(rt, request));
  const delivery = request.policy.signal === "ssm" ? await deliverSignal(rt, request.instanceIds, 1, signalOptions(request)) : { signals: [], unsignalled: {} };
  if (request.policy.signal === "ssm") {
    state = await journal.record({ signals: delivery.signals, unsignalled: { ...delivery.unsignalled } });
  }
  await journal.audit("drain-started", { cause: request.cause, deregister: deferred ? "when-drained" : "first", deregistrations, commandIds: delivery.signals.map((signal) => signal.commandId), ...(request.shedRatePerSecond === undefined ? {} : { shedRatePerSecond: request.shedRatePerSecond }) });
  if (Object.keys(delivery.unsignalled).length > 0) {
    await journal.audit("drain-unsignalled", { unsignalled: delivery.unsignalled, note: "drained by the load balancer view alone" });
  }
  const since = new Date(sinceOf(state) ?? "");
  const nothingSeenYet = request.instanceIds.map((instanceId) => ({ instanceId, gone: false, deregistered: false, fresh: [] }));
  const decision = decideDrain(nothingSeenYet, contextOf(rt, request, state, since));
  return { ...pollOf({ ...decision, done: false, timedOut: false }, state), cut: 0 };
}

/** A dead host (EC2's word, see liveness.ts) has nothing left to shed: it counts as gone. */
async function observe(rt: Runtime, request: DrainRequest, state: DrainState, live: ReadonlySet<string>, dead: ReadonlySet<string>, since: Date): Promise<DrainObservation[]> {
  const liveIds = request.instanceIds.filter((id) => live.has(id) && !dead.has(id));
  const now = rt.clock.now();
  const [states, series] = await Promise.all([
    describeTargets(rt.clients.elbv2, request.targetGroupArns, liveIds),
    connectionDatapoints(rt.clients.cloudWatch, rt.stage.connectionMetric, liveIds, since, new Date(now.getTime() + 1000)),
  ]);
  return request.instanceIds.map((instanceId) => {
    const perGroup = states.get(instanceId);
    return {
      instanceId,
      gone: !live.has(instanceId) || dead.has(instanceId),
      deregistered: perGroup !== undefined && perGroup.size > 0 && [...perGroup.values()].every(isDeregistered),
      fresh: datapointsAfter(series.get(instanceId) ?? [], since),
      ...(state.appDrainedAt?.[instanceId] === undefined ? {} : { appDrainedAt: new Date(state.appDrainedAt[instanceId]) }),
    };
  });
}

/**
 * One poll: the signal's result (retried, or given up on with the reason recorded), what the load
 * balancer and the fresh datapoints say, and the decision. `group` is the Auto Scaling group as the
 * caller just described it: liveness knows its lifecycle states (Terminating:Wait is still draining).
 */
export async function checkDrain(rt: Runtime, request: DrainRequest, group: GroupView): Promise<DrainPoll> {
  const { journal } = request;
  let state = journal.state;
  if (sinceOf(state) === undefined) throw new DrainNotFinished(`${request.cause}: the drain was never started (not deregistered)`);
  if (state.drainedAt !== undefined) return { done: true, waitSeconds: 1, timedOut: state.drainTimedOut ?? false, remainingConnections: sum(state.remainingConnections ?? {}), cut: state.cutInstanceIds?.length ?? 0, unsignalled: Object.keys(state.unsignalled ?? {}).length };
  const live = drainingInstanceIds(group);
  state = await recordDead(rt, request, state, live);
  const dead = new Set(Object.keys(state.dead ?? {}));
  if (request.policy.signal === "ssm") state = await followSignals(rt, request, state, live);
  const since = new Date(sinceOf(state) ?? "");
  const observations = await observe(rt, request, state, live, dead, since);
  const decision = decideDrain(observations, contextOf(rt, request, state, since));
  if (decision.done) {
    // A `when-drained` drain leaves the load balancer only now, with (next to) nothing left to cut.
    if (state.deregisteredAt === undefined) state = (await deregister(rt, request)).state;
    state = await journal.record(
      { drainTimedOut: decision.timedOut, remainingConnections: decision.remaining, cutInstanceIds: decision.cut },
      { drainedAt: rt.clock.now().toISOString() },
    );
    const unsignalled = state.unsignalled ?? {};
    const graceful = decision.drained.filter((id) => unsignalled[id] === undefined && !dead.has(id));
    const step = decision.cut.length > 0 ? "drain-cut" : decision.timedOut ? "drain-timed-out" : Object.keys(unsignalled).length > 0 ? "drained-without-signal" : "drained";
    await journal.audit(step, { cause: request.cause, remaining: decision.remaining, drained: graceful, cut: decision.cut, unsignalled, dead: state.dead ?? {} });
    // What is still open at the drain's end goes with the instance: the forced disconnects as observed.
    const left = sum(decision.remaining);
    recordDrained(rt, Math.max(0, sum(request.connectionsAtStart) - left), left);
  }
  return pollOf(decision, state);
}

/** Hosts found dead stay dead (a crashed host is replaced, never revived); each is recorded and audited once. */
async function recordDead(rt: Runtime, request: DrainRequest, state: DrainState, live: ReadonlySet<string>): Promise<DrainState> {
  const known = state.dead ?? {};
  const found = await deadInstances(rt, request.instanceIds.filter((id) => live.has(id) && known[id] === undefined));
  if (found.size === 0) return state;
  const recorded = await request.journal.record({ dead: { ...known, ...Object.fromEntries(found) } });
  await request.journal.audit("drain-host-dead", { dead: Object.fromEntries(found), note: "its connections went with the host: nothing left to drain, no delay to wait" });
  return recorded;
}

/** The signal's fate per instance: delivered ones are recorded, failed ones retried while attempts remain. */
async function followSignals(rt: Runtime, request: DrainRequest, state: DrainState, live: ReadonlySet<string>): Promise<DrainState> {
  const next = await followUp(rt, state, live, signalOptions(request));
  if (next === undefined) return state;
  const recorded = await request.journal.record({ signals: next.signals, signalled: next.signalled, appDrainedAt: next.appDrainedAt, unsignalled: next.unsignalled });
  if (next.retried.length > 0) await request.journal.audit("drain-signal-retried", { instanceIds: next.retried, failures: next.failures });
  if (next.givenUp.length > 0) {
    const given = Object.fromEntries(next.givenUp.map((id) => [id, next.unsignalled[id] ?? ""]));
    await request.journal.audit("drain-unsignalled", { unsignalled: given, note: "drained by the load balancer view alone" });
  }
  return recorded;
}

/** Runs the trigger's after-drain step; refuses a request that is not drained. Safe to repeat as long as the step is. */
export async function finishDrain<Result>(rt: Runtime, request: DrainRequest<Result>): Promise<Result> {
  const state = request.journal.state;
  if (state.drainedAt === undefined) throw new DrainNotFinished(`${request.cause} is not drained; refusing to run the step after the drain`);
  const outcome: DrainOutcome = {
    instanceIds: request.instanceIds,
    timedOut: state.drainTimedOut ?? false,
    remaining: state.remainingConnections ?? {},
    cut: state.cutInstanceIds ?? [],
    unsignalled: state.unsignalled ?? {},
  };
  return request.afterDrain(rt, outcome);
}
