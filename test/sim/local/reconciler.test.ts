import { SetDesiredCapacityCommand } from "@aws-sdk/client-auto-scaling";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import { acquireLock, releaseLock } from "../../../core/lock.ts";
import { startDrain } from "../../../core/drain/pipeline.ts";
import type { DrainJournal, DrainRequest, DrainState } from "../../../core/drain/request.ts";
import type { ReconcileSummary } from "../../../core/reconciler/reconcile.ts";
import { runtime } from "../../../core/runtime.ts";
import type { ScenarioConfigInput } from "../../../sim/config/schema.ts";
import { installLocalEbb, type LocalEbb } from "../../../sim/local/ebb.ts";
import { parseScenarioConfig } from "../../../sim/scenarios.ts";
import { World } from "../../../sim/world.ts";
import { fleetAfterRun } from "../scenarios/support/promises.ts";

const GROUP = "ebb-demo-asg";

async function installed(input: ScenarioConfigInput = {}): Promise<{ world: World; ebb: LocalEbb; tg: string }> {
  const world = new World(parseScenarioConfig({ fleet: { targetRegistration: "ebb", desiredCapacity: 6 }, clients: { sessions: 3000 }, run: { kind: "idle" }, ...input }, "test"));
  world.advance(120);
  await world.events.flush();
  const tg = world.elb.targetGroups()[0]?.targetGroupArn ?? "";
  return { world, ebb: await installLocalEbb(world), tg };
}

const run = async (world: World, seconds: number): Promise<void> => {
  for (let i = 0; i < seconds; i++) {
    world.advance(1);
    await world.events.flush();
  }
};

const summaries = (ebb: LocalEbb): ReconcileSummary[] => ebb.scheduledRuns.filter((each) => each.scheduleId === "reconcile").flatMap((each) => (each.result === undefined ? [] : [each.result as ReconcileSummary]));
const errors = (ebb: LocalEbb): string[] => ebb.scheduledRuns.filter((each) => each.scheduleId === "reconcile").flatMap((each) => (each.error === undefined ? [] : [each.error]));

describe("the reconciler, scheduled every minute", () => {
  it("re-registers an instance a crashed control plane left deregistered, and logs the repair", async () => {
    const { world, ebb, tg } = await installed();
    try {
      const left = world.autoscaling.instanceByLaunchIndex(2)?.instanceId ?? "";
      world.elb.deregisterTargets(tg, [left]);
      expect((await fleetAfterRun(world)).deregisteredButRunning).toEqual([left]);
      await run(world, 61);
      expect(errors(ebb)).toEqual([]);
      const repaired = summaries(ebb).flatMap((summary) => summary.groups.flatMap((group) => group.registered));
      expect(repaired).toEqual([{ instanceId: left, targetGroupArn: tg }]);
      expect(summaries(ebb).flatMap((summary) => summary.groups.flatMap((group) => group.undrained))).toEqual([left]);
      expect(world.elb.targetState(tg, left)).not.toMatch(/draining|unused/);
      await run(world, 60);
      expect((await fleetAfterRun(world)).deregisteredButRunning).toEqual([]);
      const auditItems = await runtime().clients.dynamo.send(new GetCommand({ TableName: ebb.stage.tables.deploys, Key: { deployId: `reconciler#${GROUP}`, sk: "waits" } }));
      expect(auditItems.Item?.["version"]).toBeGreaterThan(0);
    } finally {
      await ebb.stop();
    }
  });

  it("fails with the rest of the control plane during an outage and repairs at its first run after", async () => {
    const { world, ebb, tg } = await installed({ faults: { controlPlaneOutages: [{ atSeconds: 100, durationSeconds: 200 }] } });
    try {
      const left = world.autoscaling.instanceByLaunchIndex(0)?.instanceId ?? "";
      world.elb.deregisterTargets(tg, [left]);
      await run(world, 185);
      // Runs at 180 s and 240 s fell in the outage (100–300 s); the one at 300 s did not.
      expect(ebb.scheduledRuns.filter((each) => each.scheduleId === "reconcile").map((each) => (each.atMs - world.startMs) / 1000)).toEqual([180, 240, 300]);
      expect(errors(ebb)).toHaveLength(2);
      expect(errors(ebb)[0]).toMatch(/control plane is down/);
      expect(summaries(ebb).at(-1)?.groups[0]?.registered).toEqual([{ instanceId: left, targetGroupArn: tg }]);
    } finally {
      await ebb.stop();
    }
  });

  it("keeps out of a group whose lock a deploy holds, and repairs once it is released", async () => {
    const { world, ebb, tg } = await installed();
    try {
      await acquireLock(runtime(), GROUP, "deploy-1", "deploy");
      const left = world.autoscaling.instanceByLaunchIndex(1)?.instanceId ?? "";
      world.elb.deregisterTargets(tg, [left]);
      await run(world, 130);
      expect(summaries(ebb).map((summary) => summary.groups[0]?.skipped)).toEqual(["deploy deploy-1 holds the group's lock", "deploy deploy-1 holds the group's lock"]);
      expect(world.elb.targetState(tg, left)).toBe("draining");
      await releaseLock(runtime(), GROUP, "deploy-1");
      await run(world, 60);
      expect(summaries(ebb).at(-1)?.groups[0]?.registered).toEqual([{ instanceId: left, targetGroupArn: tg }]);
    } finally {
      await ebb.stop();
    }
  });

  it("drains, then continues, a termination whose lifecycle events never reached Ebb; no client is cut", async () => {
    const { world, ebb, tg } = await installed({
      fleet: { targetRegistration: "ebb", desiredCapacity: 6, lifecycleHooks: [{ name: "ebb-terminate", transition: "terminate", heartbeatTimeoutSeconds: 7200, defaultResult: "CONTINUE" }] },
      // Auto Scaling's events are best effort: these never arrive.
      faults: { events: { dropRate: 1 } },
    });
    try {
      await runtime().clients.autoScaling.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: GROUP, DesiredCapacity: 5 }));
      await run(world, 5);
      const leaving = world.autoscaling.instances().find((instance) => instance.lifecycleState === "Terminating:Wait");
      expect(leaving).toBeDefined();
      const id = leaving?.instanceId ?? "";
      expect(world.clients.connectionsOf(id)).toBeGreaterThan(0);
      // Open two runs with no hook workflow on it: drained through the drain pipeline, then continued.
      await run(world, 600);
      const drained = summaries(ebb).flatMap((summary) => summary.groups.flatMap((group) => group.drained));
      expect(drained).toEqual([id]);
      const completed = summaries(ebb).flatMap((summary) => summary.groups.flatMap((group) => group.completed));
      expect(completed.map((completion) => [completion.instanceId, completion.result])).toEqual([[id, "CONTINUE"]]);
      const drainedAt = summaries(ebb).findIndex((summary) => summary.groups.some((group) => group.drained.length > 0));
      const completedAt = summaries(ebb).findIndex((summary) => summary.groups.some((group) => group.completed.length > 0));
      expect(completedAt).toBeGreaterThan(drainedAt);
      await run(world, 30);
      expect(leaving?.lifecycleState).toBe("Terminated");
      expect(world.stats.forcedDisconnects).toBe(0);
      expect(world.stats.duplicateCompletions).toBe(0);
      expect(world.elb.targetState(tg, id)).toBe("unused");
    } finally {
      await ebb.stop();
    }
  });
});

/** A drain's journal kept in memory: the trigger that started it is gone after its first step. */
function memoryJournal(): DrainJournal {
  let state: DrainState = {};
  return {
    get state() {
      return state;
    },
    record: async (set, once = {}) => {
      state = { ...once, ...state, ...set };
      return state;
    },
    audit: async () => undefined,
  };
}

/** The drain pipeline's first step for one instance, and nothing after it (the control plane crashed). */
async function crashAfterDeregistering(instanceId: string, targetGroupArn: string): Promise<void> {
  const rt = runtime();
  const request: DrainRequest = {
    cause: "deploy d-crashed batch 0",
    instanceIds: [instanceId],
    targetGroupArns: [targetGroupArn],
    policy: { ...rt.stage.deployDefaults.drain, signal: "none" },
    deregistrationDelaySeconds: 300,
    connectionsAtStart: {},
    journal: memoryJournal(),
    afterDrain: async () => undefined,
  };
  await startDrain(rt, request);
}

const registeredBy = (ebb: LocalEbb): string[] => summaries(ebb).flatMap((summary) => summary.groups.flatMap((group) => group.registered.map((repair) => repair.instanceId)));

// With target groups attached, Auto Scaling registers and deregisters the group's instances itself
// ("Use Elastic Load Balancing to distribute incoming application traffic in your Auto Scaling group",
// https://docs.aws.amazon.com/autoscaling/ec2/userguide/autoscaling-load-balancer.html); an instance
// deregistered by hand stays out: nothing in AWS puts it back.
describe("the reconciler in asg registration mode (the ASG owns registration)", () => {
  const asgMode = { fleet: { targetRegistration: "asg" as const, desiredCapacity: 6 } };

  it("leaves an instance an operator deregistered by hand alone, run after run", async () => {
    const { world, ebb, tg } = await installed(asgMode);
    try {
      const byHand = world.autoscaling.instanceByLaunchIndex(2)?.instanceId ?? "";
      world.elb.deregisterTargets(tg, [byHand]);
      await run(world, 181);
      expect(errors(ebb)).toEqual([]);
      expect(summaries(ebb).length).toBeGreaterThanOrEqual(3);
      expect(registeredBy(ebb)).toEqual([]);
      expect(world.elb.targetState(tg, byHand)).toMatch(/draining|unused/);
    } finally {
      await ebb.stop();
    }
  });

  it("registers back an instance the drain pipeline deregistered and a crashed control plane left running, then forgets it", async () => {
    const { world, ebb, tg } = await installed(asgMode);
    try {
      const left = world.autoscaling.instanceByLaunchIndex(3)?.instanceId ?? "";
      await crashAfterDeregistering(left, tg);
      expect(world.elb.targetState(tg, left)).toBe("draining");
      await run(world, 61);
      expect(errors(ebb)).toEqual([]);
      expect(registeredBy(ebb)).toEqual([left]);
      expect(world.elb.targetState(tg, left)).not.toMatch(/draining|unused/);
      // Put back once: the record is spent, so a later deregistration by hand is the operator's.
      world.elb.deregisterTargets(tg, [left]);
      await run(world, 120);
      expect(registeredBy(ebb)).toEqual([left]);
      expect(world.elb.targetState(tg, left)).toMatch(/draining|unused/);
    } finally {
      await ebb.stop();
    }
  });
});
