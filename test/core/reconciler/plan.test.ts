import { describe, expect, it } from "vitest";
import { planRepairs, type ObservedGroup, type ObservedInstance, type PlanSettings } from "../../../core/reconciler/plan.ts";

const TG = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/ebb-app-tg/0123456789abcdef";
const t0 = Date.parse("2026-01-01T00:00:00Z");
const at = (seconds: number): Date => new Date(t0 + seconds * 1000);

const target = (state: string) => ({ state, reason: undefined, port: 8080 });
const instance = (instanceId: string, lifecycleState: string, state: string | undefined, healthStatus = "Healthy"): ObservedInstance => ({
  instanceId,
  lifecycleState,
  healthStatus,
  targets: state === undefined ? new Map() : new Map([[TG, target(state)]]),
});

const group = (instances: ObservedInstance[], overrides: Partial<ObservedGroup> = {}): ObservedGroup => ({
  name: "ebb-demo-asg",
  targetRegistration: "ebb",
  targetGroupArns: [TG],
  registrationSuspended: false,
  instances,
  serving: new Map([[TG, instances.filter((each) => ["healthy", "initial", "unhealthy"].includes(each.targets.get(TG)?.state ?? "")).map((each) => each.instanceId)]]),
  hooks: [{ name: "ebb-launch", transition: "launch" }, { name: "ebb-terminate", transition: "terminate" }],
  inHookWorkflows: new Set(),
  ebbDeregistered: new Map(),
  ...overrides,
});

// Stuck: open two runs (120 s) with no hook workflow on it.
const settings = (nowSeconds: number): PlanSettings => ({ now: at(nowSeconds), stuckAfterSeconds: 120 });

describe("planRepairs: targets", () => {
  it("registers an InService healthy instance that is missing, or left deregistered or draining, and nothing else", () => {
    const plan = planRepairs(group([
      instance("i-missing", "InService", undefined),
      instance("i-left", "InService", "unused"),
      instance("i-draining", "InService", "draining"),
      instance("i-fine", "InService", "healthy"),
      instance("i-sick", "InService", "unused", "Unhealthy"),
      instance("i-standby", "Standby", "unused"),
      instance("i-leaving", "Terminating:Wait", "draining"),
    ]), {}, settings(0));
    expect(plan.register.map((repair) => repair.instanceId)).toEqual(["i-missing", "i-left", "i-draining"]);
  });

  it("in asg mode registers back only what the drain pipeline took out and nobody put back, never an operator's deregistration", () => {
    // Auto Scaling owns registration with target groups attached ("Use Elastic Load Balancing to
    // distribute incoming application traffic in your Auto Scaling group"); an operator takes an
    // instance out of service through Standby ("Temporarily remove instances from your Auto Scaling group")
    // or by deregistering it, and a control plane must not undo that.
    const observed = group([
      instance("i-left-by-ebb", "InService", "unused"),
      instance("i-operator", "InService", "unused"),
      instance("i-back", "InService", "healthy"),
    ], { targetRegistration: "asg", ebbDeregistered: new Map([["i-left-by-ebb", [TG]], ["i-back", [TG]]]) });
    const plan = planRepairs(observed, {}, settings(0));
    expect(plan.register).toEqual([{ instanceId: "i-left-by-ebb", targetGroupArn: TG }]);
    // Registered back now, or serving again already (a rollback put it back): the record is spent.
    expect(plan.restored).toEqual(["i-left-by-ebb", "i-back"]);
  });

  it("in ebb mode registers every InService healthy instance missing from a target group (Ebb owns registration)", () => {
    const plan = planRepairs(group([instance("i-operator", "InService", "unused")]), {}, settings(0));
    expect(plan.register).toEqual([{ instanceId: "i-operator", targetGroupArn: TG }]);
  });

  it("keeps Ebb's record open while the instance cannot be registered back (unhealthy, suspended)", () => {
    const taken = new Map([["i-left-by-ebb", [TG]]]);
    const sick = planRepairs(group([instance("i-left-by-ebb", "InService", "unused", "Unhealthy")], { targetRegistration: "asg", ebbDeregistered: taken }), {}, settings(0));
    expect([sick.register, sick.restored]).toEqual([[], []]);
    const suspended = planRepairs(group([instance("i-left-by-ebb", "InService", "unused")], { targetRegistration: "asg", ebbDeregistered: taken, registrationSuspended: true }), {}, settings(0));
    expect([suspended.register, suspended.restored]).toEqual([[], []]);
  });

  it("registers nothing while AddToLoadBalancer is suspended", () => {
    expect(planRepairs(group([instance("i-left", "InService", "unused")], { registrationSuspended: true }), {}, settings(0)).register).toEqual([]);
  });

  it("in ebb mode deregisters a serving target whose instance left the group; in asg mode the ASG does", () => {
    const observed = group([instance("i-a", "InService", "healthy")], { serving: new Map([[TG, ["i-a", "i-gone"]]]) });
    expect(planRepairs(observed, {}, settings(0)).deregister).toEqual([{ instanceId: "i-gone", targetGroupArn: TG }]);
    expect(planRepairs({ ...observed, targetRegistration: "asg" }, {}, settings(0)).deregister).toEqual([]);
  });
});

describe("planRepairs: lifecycle actions no hook workflow is working on", () => {
  it("remembers when it first saw a wait and acts only once it has been open for two runs", () => {
    const waiting = group([instance("i-new", "Pending:Wait", "healthy")]);
    const first = planRepairs(waiting, {}, settings(100));
    expect(first.memory["i-new"]).toEqual({ state: "Pending:Wait", since: at(100).toISOString() });
    expect(planRepairs(waiting, first.memory, settings(100 + 119)).complete).toEqual([]);
    const late = planRepairs(waiting, first.memory, settings(100 + 120));
    expect(late.complete).toEqual([{ instanceId: "i-new", hookName: "ebb-launch", result: "CONTINUE", waitedSeconds: 120 }]);
  });

  it("never touches an action a hook workflow is running for, however long it has been open (a long drain heartbeats)", () => {
    const since = { state: "Terminating:Wait", since: at(0).toISOString() };
    const busy = group([instance("i-old", "Terminating:Wait", "draining")], { inHookWorkflows: new Set(["i-old"]) });
    const plan = planRepairs(busy, { "i-old": since }, settings(7200));
    expect(plan.drain).toEqual([]);
    expect(plan.complete).toEqual([]);
  });

  it("abandons a stuck launch whose instance is not healthy in every target group", () => {
    const plan = planRepairs(group([instance("i-new", "Pending:Wait", "unhealthy")]), { "i-new": { state: "Pending:Wait", since: at(0).toISOString() } }, settings(2000));
    expect(plan.complete.map((completion) => completion.result)).toEqual(["ABANDON"]);
  });

  it("leaves a stuck launch to the hook's DefaultResult in asg mode (the ASG registers only after the hook)", () => {
    const plan = planRepairs(group([instance("i-new", "Pending:Wait", undefined)], { targetRegistration: "asg" }), { "i-new": { state: "Pending:Wait", since: at(0).toISOString() } }, settings(2000));
    expect(plan.complete).toEqual([]);
  });

  it("continues a stuck termination already out of every target group; one still registered goes to the drain pipeline each run", () => {
    const since = { state: "Terminating:Wait", since: at(0).toISOString() };
    const out = planRepairs(group([instance("i-out", "Terminating:Wait", "unused")]), { "i-out": since }, settings(800));
    expect(out.complete).toEqual([{ instanceId: "i-out", hookName: "ebb-terminate", result: "CONTINUE", waitedSeconds: 800 }]);
    expect(out.drain).toEqual([]);
    const registered = planRepairs(group([instance("i-old", "Terminating:Wait", "healthy")]), { "i-old": since }, settings(800));
    expect(registered.drain).toEqual(["i-old"]);
    expect(registered.complete).toEqual([]);
    // Once the reconciler's drain has begun, the pipeline (not the target state) says when it is over.
    const draining = { "i-old": { ...since, drain: { deregisteredAt: at(800).toISOString() } } };
    const later = planRepairs(group([instance("i-old", "Terminating:Wait", "unused")]), draining, settings(1200));
    expect(later.drain).toEqual(["i-old"]);
    expect(later.complete).toEqual([]);
    expect(later.memory["i-old"]?.drain).toEqual({ deregisteredAt: at(800).toISOString() });
  });

  it("does not act before two runs on a termination either", () => {
    const plan = planRepairs(group([instance("i-old", "Terminating:Wait", "healthy")]), { "i-old": { state: "Terminating:Wait", since: at(0).toISOString() } }, settings(119));
    expect(plan.drain).toEqual([]);
  });

  it("never completes the same wait twice, and forgets instances that left the wait", () => {
    const stuck = group([instance("i-old", "Terminating:Wait", "unused")]);
    const once = planRepairs(stuck, { "i-old": { state: "Terminating:Wait", since: at(0).toISOString() } }, settings(800));
    expect(once.complete).toHaveLength(1);
    expect(planRepairs(stuck, once.memory, settings(860)).complete).toEqual([]);
    expect(planRepairs(group([]), once.memory, settings(920)).memory).toEqual({});
  });

  it("a new wait of the same instance (another state) starts a new sighting", () => {
    const plan = planRepairs(group([instance("i-a", "Terminating:Wait", "draining")]), { "i-a": { state: "Pending:Wait", since: at(0).toISOString(), completed: "CONTINUE" } }, settings(5000));
    expect(plan.memory["i-a"]).toEqual({ state: "Terminating:Wait", since: at(5000).toISOString() });
  });
});
