import { describe, expect, it } from "vitest";
import { describeGroup } from "../../../core/fleet.ts";
import { checkDrain, startDrain } from "../../../core/drain/pipeline.ts";
import type { DrainJournal, DrainPoll, DrainRequest, DrainState } from "../../../core/drain/request.ts";
import { runtime } from "../../../core/runtime.ts";
import { installLocalEbb, type LocalEbb } from "../../../sim/local/ebb.ts";
import type { ScenarioConfigInput } from "../../../sim/config/schema.ts";
import { parseScenarioConfig } from "../../../sim/scenarios.ts";
import { World } from "../../../sim/world.ts";

/*
 * The one drain pipeline against the emulator: a crashed host (EC2 still says running, its SSM
 * agent and its metrics silent) is dead only once EC2's instance status check says impaired with
 * reachability failed ("Status checks for your instances", EC2 User Guide,
 * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/monitoring-system-instance-status-check.html:
 * checks every minute; the emulator needs 180 s of failures). Before that its silence proves
 * nothing and the drain waits as for any host.
 */

const GROUP = "ebb-demo-asg";
const DELAY = 300;

async function installed(faults: ScenarioConfigInput["faults"] = {}): Promise<{ world: World; ebb: LocalEbb; tg: string }> {
  const world = new World(parseScenarioConfig({ fleet: { targetRegistration: "ebb", desiredCapacity: 6 }, clients: { sessions: 3000 }, run: { kind: "idle" }, faults }, "test"));
  world.advance(120);
  await world.events.flush();
  return { world, ebb: await installLocalEbb(world), tg: world.elb.targetGroups()[0]?.targetGroupArn ?? "" };
}

function journal(): DrainJournal & { steps: string[] } {
  let state: DrainState = {};
  const steps: string[] = [];
  return {
    get state() {
      return state;
    },
    steps,
    record: async (set, once = {}) => {
      state = { ...once, ...state, ...set };
      return state;
    },
    audit: async (step) => {
      steps.push(step);
    },
  };
}

const requestFor = (instanceId: string, tg: string, drainJournal: DrainJournal): DrainRequest => ({
  cause: "remediation r-1 (replace)",
  instanceIds: [instanceId],
  targetGroupArns: [tg],
  policy: runtime().stage.deployDefaults.drain,
  deregistrationDelaySeconds: DELAY,
  connectionsAtStart: { [instanceId]: 0 },
  journal: drainJournal,
  afterDrain: async () => undefined,
});

/** Polls as the workflow does (waiting waitSeconds between checks) until done; returns the seconds it took. */
async function drainToEnd(world: World, request: DrainRequest): Promise<{ poll: DrainPoll; seconds: number }> {
  const startedMs = world.clock.nowMs;
  let poll = await startDrain(runtime(), request);
  while (!poll.done) {
    world.advance(poll.waitSeconds);
    await world.events.flush();
    poll = await checkDrain(runtime(), request, await describeGroup(runtime().clients.autoScaling, GROUP));
  }
  return { poll, seconds: (world.clock.nowMs - startedMs) / 1000 };
}

describe("the drain of a dead host", () => {
  it("ends at once, without the deregistration delay, once EC2's status check says impaired", async () => {
    const { world, ebb, tg } = await installed();
    try {
      const host = world.autoscaling.instanceByLaunchIndex(2)?.instanceId ?? "";
      world.autoscaling.crashInstance(host);
      world.advance(200);
      const drainJournal = journal();
      const { poll, seconds } = await drainToEnd(world, requestFor(host, tg, drainJournal));
      expect(poll).toMatchObject({ done: true, timedOut: false, cut: 0 });
      expect(seconds).toBeLessThan(30);
      expect(drainJournal.state.dead?.[host]).toMatch(/^instance status impaired \(reachability failed since /);
      expect(drainJournal.steps).toContain("drain-host-dead");
      // Its connections went with the crash, none with the drain.
      expect(world.stats.forcedDisconnectsBy["deregistration-delay"]).toBe(0);
    } finally {
      await ebb.stop();
    }
  });

  it("waits on a silent host EC2 has not yet found impaired: silence is never read as zero connections", async () => {
    const { world, ebb, tg } = await installed();
    try {
      const host = world.autoscaling.instanceByLaunchIndex(2)?.instanceId ?? "";
      world.autoscaling.crashInstance(host);
      const drainJournal = journal();
      const request = requestFor(host, tg, drainJournal);
      let poll = await startDrain(runtime(), request);
      const startedMs = world.clock.nowMs;
      // Its checks have failed for less than the verdict's 180 s: the host may still be alive.
      while (world.clock.nowMs - startedMs < 100_000) {
        world.advance(Math.min(poll.waitSeconds, 20));
        await world.events.flush();
        poll = await checkDrain(runtime(), request, await describeGroup(runtime().clients.autoScaling, GROUP));
        expect(poll.done).toBe(false);
      }
      expect(drainJournal.state.dead).toBeUndefined();
      // Then EC2 finds it impaired and the drain ends, well before the delay would have.
      while (!poll.done) {
        world.advance(poll.waitSeconds);
        await world.events.flush();
        poll = await checkDrain(runtime(), request, await describeGroup(runtime().clients.autoScaling, GROUP));
      }
      expect((world.clock.nowMs - startedMs) / 1000).toBeLessThan(DELAY - 60);
      expect(drainJournal.state.dead?.[host]).toBeDefined();
    } finally {
      await ebb.stop();
    }
  });

  it("leaves a live host's drain alone: never found dead, its drain ends by its own shedding", async () => {
    const { world, ebb, tg } = await installed();
    try {
      const host = world.autoscaling.instanceByLaunchIndex(1)?.instanceId ?? "";
      const drainJournal = journal();
      const request = { ...requestFor(host, tg, drainJournal), connectionsAtStart: { [host]: world.clients.connectionsOf(host) } };
      const { poll } = await drainToEnd(world, request);
      expect(poll.done).toBe(true);
      expect(drainJournal.state.dead).toBeUndefined();
      expect(drainJournal.steps).not.toContain("drain-host-dead");
    } finally {
      await ebb.stop();
    }
  });

  it("counts every host alive when EC2 cannot be asked: the drain waits as before, it never ends on a guess", async () => {
    const { world, ebb, tg } = await installed({ api: [{ service: "ec2", action: "DescribeInstanceStatus", kind: "server-error", rate: 1 }] });
    try {
      const host = world.autoscaling.instanceByLaunchIndex(2)?.instanceId ?? "";
      world.autoscaling.crashInstance(host);
      world.advance(200);
      const drainJournal = journal();
      const request = requestFor(host, tg, drainJournal);
      let poll = await startDrain(runtime(), request);
      for (let i = 0; i < 3; i++) {
        world.advance(poll.waitSeconds);
        await world.events.flush();
        poll = await checkDrain(runtime(), request, await describeGroup(runtime().clients.autoScaling, GROUP));
      }
      expect(poll.done).toBe(false);
      expect(drainJournal.state.dead).toBeUndefined();
    } finally {
      await ebb.stop();
    }
  });
});
