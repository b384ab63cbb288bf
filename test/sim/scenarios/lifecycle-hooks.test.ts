import { describe, expect, it } from "vitest";
import { runtime } from "../../../core/runtime.ts";
import { getAction, type ActionRecord } from "../../../core/lifecycle/store.ts";
import { loadScenario } from "../../../sim/scenarios.ts";
import { simulate } from "../../../sim/simulate.ts";
import type { SimulationReport } from "../../../sim/report/report.ts";
import type { World } from "../../../sim/world.ts";

/*
 * Amazon EC2 Auto Scaling lifecycle hooks: an instance waits in Pending:Wait / Terminating:Wait
 * until the action is completed (CONTINUE or ABANDON), its HeartbeatTimeout passes (then the
 * DefaultResult applies) or, with heartbeats, the global timeout (min(48 h, 100 × HeartbeatTimeout));
 * ABANDON on launch terminates the instance and the group replaces it —
 * https://docs.aws.amazon.com/autoscaling/ec2/userguide/lifecycle-hooks-overview.html
 * https://docs.aws.amazon.com/autoscaling/ec2/userguide/completing-lifecycle-hooks.html
 * With target groups attached, a terminating instance is deregistered and the ASG waits for
 * connection draining before the terminate hook runs —
 * https://docs.aws.amazon.com/autoscaling/ec2/userguide/attach-load-balancer-asg.html
 * EventBridge delivers at least once —
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html
 */

interface Run {
  report: SimulationReport;
  /** Each lifecycle action Ebb recorded, by instance and kind. */
  actions: ActionRecord[];
  /** The most connections each instance ever held (by launch index). */
  peakConnections: Map<number, number>;
  drainSignals: Map<string, number>;
  lifecycleDeliveries: { token: string; duplicate: boolean; error: string | undefined }[];
}

async function run(name: string): Promise<Run> {
  const peakConnections = new Map<number, number>();
  let actions: ActionRecord[] = [];
  let drainSignals = new Map<string, number>();
  let lifecycleDeliveries: Run["lifecycleDeliveries"] = [];
  const report = await simulate(loadScenario(name), {
    onStart: (world) =>
      world.observe({
        step: () => {
          for (const instance of world.autoscaling.instances()) {
            const held = world.clients.connectionsOf(instance.instanceId);
            if (held > (peakConnections.get(instance.launchIndex) ?? 0)) peakConnections.set(instance.launchIndex, held);
          }
        },
      }),
    onSettled: async (world: World) => {
      const published = world.events.published().filter((event) => String(event["detail-type"]).includes("Lifecycle Action"));
      const tokens = [...new Set(published.map((event) => String((event.detail as { LifecycleActionToken: string }).LifecycleActionToken)))];
      actions = (await Promise.all(tokens.map((token) => getAction(runtime(), token)))).filter((record) => record !== undefined);
      drainSignals = new Map();
      for (const { invocation } of world.ssm.invocations()) {
        if (invocation.command.commands.some((command) => command.startsWith("ebb-drain"))) drainSignals.set(invocation.instanceId, (drainSignals.get(invocation.instanceId) ?? 0) + 1);
      }
      const tokenOf = new Map(published.map((event) => [event.id, String((event.detail as { LifecycleActionToken: string }).LifecycleActionToken)]));
      lifecycleDeliveries = world.events.deliveries().filter((delivery) => tokenOf.has(delivery.eventId)).map((delivery) => ({ token: tokenOf.get(delivery.eventId) ?? "", duplicate: delivery.duplicate, error: delivery.error }));
    },
  });
  return { report, actions, peakConnections, drainSignals, lifecycleDeliveries };
}

const quiescentAndConsistent = (report: SimulationReport, desired: number): void => {
  expect(report.outcome, report.cause).toBe("Succeeded");
  expect(report.quiescence.quiescent).toBe(true);
  expect(report.fleet.deregisteredButRunning).toBe(0);
  expect(report.fleet.unregisteredInService).toBe(0);
  expect(report.fleet.desiredCapacity).toBe(desired);
  expect(report.fleet.lockHeld).toBe(false);
};

describe("scale-in scenario (ebb registration mode, 12 → 8)", () => {
  it("drains each leaving instance before completing its terminate action: nobody cut off, each action completed once", async () => {
    const { report, actions } = await run("scale-in");
    quiescentAndConsistent(report, 8);
    expect(report.connections.forcedDisconnects).toBe(0);
    expect(report.instances.terminated).toBe(4);
    expect(report.instances.terminatedWithoutDrain).toBe(0);
    expect(report.lifecycle).toMatchObject({ completed: 4, timedOut: 0, duplicateCompletions: 0 });
    expect(actions.map((action) => [action.kind, action.completion?.result])).toEqual(Array(4).fill(["terminate", "CONTINUE"]));
    expect(report.connections.gracefulHandoffs).toBeGreaterThan(0);
  });
});

describe("scale-in-attached scenario (asg registration mode: the target group is attached to the ASG)", () => {
  it("shows what the deregistration delay cut before the hook could run", async () => {
    const { report, actions } = await run("scale-in-attached");
    quiescentAndConsistent(report, 8);
    expect(report.instances.terminated).toBe(4);
    // The ASG deregistered and waited the delay first: the load balancer closed what was open, the hook found nothing left.
    expect(report.connections.forcedDisconnectsBy["deregistration-delay"]).toBeGreaterThan(0);
    expect(report.connections.forcedDisconnects).toBe(report.connections.forcedDisconnectsBy["deregistration-delay"]);
    expect(report.instances.terminatedWithoutDrain).toBe(4);
    expect(report.lifecycle).toMatchObject({ completed: 4, timedOut: 0, duplicateCompletions: 0 });
    expect(actions.every((action) => action.completion?.result === "CONTINUE")).toBe(true);
  });
});

describe("scale-out scenario (8 → 12, the second new instance never healthy)", () => {
  it("ABANDONs the never-healthy instance (the ASG replaces it), routes nobody to it, cuts nobody off", async () => {
    const { report, actions, peakConnections } = await run("scale-out");
    quiescentAndConsistent(report, 12);
    expect(report.connections.forcedDisconnects).toBe(0);
    expect(report.instances.launched).toBe(5);
    expect(report.instances.terminated).toBe(1);
    const launches = actions.filter((action) => action.kind === "launch");
    expect(launches).toHaveLength(5);
    const abandoned = launches.filter((action) => action.completion?.result === "ABANDON");
    expect(abandoned.map((action) => action.instanceId)).toEqual(["i-000000000000000a"]);
    expect(launches.filter((action) => action.completion?.result === "CONTINUE")).toHaveLength(4);
    expect(peakConnections.get(9) ?? 0).toBe(0);
    expect(report.lifecycle.duplicateCompletions).toBe(0);
    expect(report.lifecycle.timedOut).toBe(0);
  });
});

describe("duplicate-events scenario (every lifecycle event delivered twice, late and out of order)", () => {
  it("completes each action once and drains each instance once", async () => {
    const { report, actions, drainSignals, lifecycleDeliveries } = await run("duplicate-events");
    quiescentAndConsistent(report, 8);
    expect(lifecycleDeliveries.filter((delivery) => delivery.duplicate)).toHaveLength(4);
    expect(new Set(lifecycleDeliveries.map((delivery) => delivery.token)).size).toBe(4);
    expect(lifecycleDeliveries.map((delivery) => delivery.error)).toEqual(Array(8).fill(undefined));
    expect(report.lifecycle).toMatchObject({ completed: 4, timedOut: 0, duplicateCompletions: 0 });
    expect(report.stepFunctions.executions).toBe(4);
    expect(actions).toHaveLength(4);
    expect([...drainSignals.values()]).toEqual([1, 1, 1, 1]);
    expect(report.connections.forcedDisconnects).toBe(0);
  });
});

describe("long-drain scenario (a 2-hour drain, HeartbeatTimeout 600 s)", () => {
  it("keeps the terminate action open by heartbeats until the drain is over, then CONTINUE: no timeout, nobody cut off", async () => {
    const { report, actions } = await run("long-drain");
    quiescentAndConsistent(report, 3);
    expect(report.durationSeconds).toBeGreaterThan(7000);
    expect(report.lifecycle.timedOut).toBe(0);
    expect(report.lifecycle.completed).toBe(1);
    // One heartbeat every half HeartbeatTimeout over two hours.
    expect(report.lifecycle.heartbeats).toBeGreaterThanOrEqual(20);
    expect(report.connections.forcedDisconnects).toBe(0);
    expect(actions[0]?.completion?.result).toBe("CONTINUE");
    expect(actions[0]?.deregisterOrder).toBe("when-drained");
  });
});
