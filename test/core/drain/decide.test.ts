import { describe, expect, it } from "vitest";
import { datapointsAfter } from "../../../core/connections.ts";
import { decideDrain, type DrainContext, type DrainObservation } from "../../../core/drain/decide.ts";

const t0 = Date.parse("2026-01-01T00:00:00Z");
const at = (seconds: number): Date => new Date(t0 + seconds * 1000);
const point = (seconds: number, value: number) => ({ timestamp: at(seconds), value });

const context = (nowSeconds: number, overrides: Partial<DrainContext> = {}): DrainContext => ({
  policy: { timeoutSeconds: 300, maxRemainingConnections: 0, signal: "ssm" },
  since: at(0),
  now: at(nowSeconds),
  connectionsAtStart: { "i-a": 1000 },
  shedRatePerSecond: 40,
  metricPeriodSeconds: 10,
  deregistrationDelaySeconds: 300,
  ...overrides,
});

const observation = (fresh: DrainObservation["fresh"], extra: Partial<DrainObservation> = {}): DrainObservation => ({
  instanceId: "i-a",
  gone: false,
  deregistered: false,
  fresh,
  ...extra,
});

describe("datapointsAfter", () => {
  it("keeps only datapoints strictly newer than the deregistration", () => {
    const points = [point(-10, 1000), point(0, 990), point(5, 800), point(15, 400)];
    expect(datapointsAfter(points, at(0))).toEqual([point(5, 800), point(15, 400)]);
  });
});

describe("decideDrain", () => {
  it("is not fooled by a zero from before the deregistration", () => {
    // The 0 at t=0 is as old as the deregistration: it says nothing about the drain.
    const fresh = datapointsAfter([point(-5, 0), point(0, 0)], at(0));
    const decision = decideDrain([observation(fresh)], context(3));
    expect(decision.done).toBe(false);
    expect(decision.remaining).toEqual({ "i-a": 1000 });
  });

  it("takes the app's own word (its waiting drain signal ended Success) as drained, with no datapoint yet", () => {
    const waiting = decideDrain([observation([])], context(30));
    expect(waiting.done).toBe(false);
    const decision = decideDrain([observation([], { appDrainedAt: at(29) })], context(30));
    expect(decision).toMatchObject({ done: true, timedOut: false, drained: ["i-a"], cut: [] });
  });

  it("an app that said it was drained before the delay ended was not cut, even with no datapoint since", () => {
    const late = context(301, { deregistrationDelaySeconds: 60 });
    expect(decideDrain([observation([], { deregistered: true })], late).cut).toEqual(["i-a"]);
    expect(decideDrain([observation([], { deregistered: true, appDrainedAt: at(59) })], late)).toMatchObject({ drained: ["i-a"], cut: [] });
    expect(decideDrain([observation([], { deregistered: true, appDrainedAt: at(61) })], late).cut).toEqual(["i-a"]);
  });

  it("is done once a fresh datapoint is at or below maxRemainingConnections", () => {
    const decision = decideDrain([observation([point(10, 600), point(20, 3)])], context(21, { policy: { timeoutSeconds: 300, maxRemainingConnections: 5, signal: "ssm" } }));
    expect(decision).toMatchObject({ done: true, timedOut: false, drained: ["i-a"], remaining: {} });
  });

  it("is done when the load balancer finished deregistering (no connections left) or the instance is gone", () => {
    expect(decideDrain([observation([], { deregistered: true })], context(1)).done).toBe(true);
    expect(decideDrain([observation([], { gone: true })], context(1)).done).toBe(true);
  });

  it("waits exactly until the predicted end of the drain from the estimated shed rate", () => {
    // 1000 connections at 40/s: done at 25 s; +1 s for the load balancer to notice.
    expect(decideDrain([observation([])], context(0)).waitSeconds).toBe(26);
  });

  it("uses the shed rate it measured on fresh datapoints", () => {
    // 900 → 700 in 10 s is 20/s: 700 more take 35 s after t=11.
    const decision = decideDrain([observation([point(1, 900), point(11, 700)])], context(12));
    expect(decision.waitSeconds).toBe(11 + 35 + 1 - 12);
  });

  it("polls again soon, backing off, once the prediction is overdue", () => {
    // 40 connections at 40/s: drained at 21 s, seen at 22 s.
    const overdueBy = (seconds: number) => decideDrain([observation([point(20, 40)])], context(20 + 2 + seconds)).waitSeconds;
    expect(overdueBy(0)).toBe(2);
    expect(overdueBy(20)).toBe(5);
    expect(overdueBy(200)).toBe(10);
  });

  it("times out at timeoutSeconds and reports what is left", () => {
    const decision = decideDrain([observation([point(100, 42)])], context(300, { policy: { timeoutSeconds: 300, maxRemainingConnections: 0, signal: "none" } }));
    expect(decision).toMatchObject({ done: true, timedOut: true, remaining: { "i-a": 42 } });
  });

  it("never waits past the timeout", () => {
    const decision = decideDrain([observation([])], context(0, { policy: { timeoutSeconds: 10, maxRemainingConnections: 0, signal: "ssm" } }));
    expect(decision.waitSeconds).toBe(10);
  });
});
