import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { ListExecutionsCommand, SFNClient } from "@aws-sdk/client-sfn";
import { UpdateAutoScalingGroupCommand } from "@aws-sdk/client-auto-scaling";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runDrain, type DrainFlags } from "../../cli/commands/drain.ts";
import { EXIT_CODES } from "../../cli/errors.ts";
import { resolveTarget, type Target } from "../../cli/target.ts";
import { describeGroup } from "../../core/fleet.ts";
import { getInstanceDrain } from "../../core/instance-drain/record.ts";
import { acquireLock, readLock, releaseLock } from "../../core/lock.ts";
import type { Runtime } from "../../core/runtime.ts";
import { scenarioConfigSchema } from "../../sim/config/schema.ts";
import { serveLocalAccount, type LocalAccount } from "../../sim/local/account.ts";
import { World } from "../../sim/world.ts";
import { capturedOutput } from "./support.ts";

/*
 * `ebb drain` against `ebb emulator` over HTTP, end to end: the CLI's up-front checks, the drain
 * workflow's real ASL and handlers, the drain pipeline, and the after-drain step. Standby follows
 * "Temporarily remove instances from your Auto Scaling group" (EC2 Auto Scaling user guide,
 * https://docs.aws.amazon.com/autoscaling/ec2/userguide/as-enter-exit-standby.html): with
 * ShouldDecrementDesiredCapacity the group launches no replacement, and EnterStandby is refused
 * below MinSize; TerminateInstanceInAutoScalingGroup without the decrement makes the group launch
 * a replacement (API reference, TerminateInstanceInAutoScalingGroup).
 */

const SPEED = 50;
const GROUP = "ebb-demo-asg";

describe("ebb drain INSTANCE (through the drain pipeline, under the group's lock)", { timeout: 180_000 }, () => {
  let world: World;
  let account: LocalAccount;
  let target: Target;
  let rt: Runtime;
  const flags = (more: Partial<DrainFlags> = {}): DrainFlags => ({ then: "standby", follow: true, pollSeconds: 0.2, output: "text", local: true, endpoint: account.url, ...more });
  const drainExecutions = async (): Promise<number> => {
    const sfn = new SFNClient(target.clientConfig);
    const listed = await sfn.send(new ListExecutionsCommand({ stateMachineArn: target.stateMachineArnOf("drain") ?? "" }));
    sfn.destroy();
    return listed.executions?.length ?? 0;
  };
  /** The InService instance holding the most connections. */
  const busiest = async (): Promise<string> => {
    const group = await describeGroup(rt.clients.autoScaling, GROUP);
    const inService = group.instances.filter((instance) => instance.lifecycleState === "InService").map((instance) => instance.instanceId);
    return inService.sort((a, b) => world.clients.connectionsOf(b) - world.clients.connectionsOf(a))[0] ?? "";
  };

  beforeAll(async () => {
    world = new World(scenarioConfigSchema.parse({ scenario: "cli-drain" }));
    account = await serveLocalAccount(world, { port: 0, speed: SPEED, realNowMs: () => performance.now() });
    target = await resolveTarget({ local: true, endpoint: account.url }, {});
    rt = target.runtime();
    // Let the fleet serve and publish connection counts first.
    await sleep(3000);
  });

  afterAll(async () => {
    await account.close();
  });

  it("refuses, in one line and starting nothing, an unknown instance, a group below MinSize and a locked group", async () => {
    const unknown = capturedOutput();
    expect(await runDrain("i-0fffffffffffffff0", flags(), unknown, {})).toBe(EXIT_CODES.badInput);
    expect(unknown.stderr).toEqual(["cannot drain i-0fffffffffffffff0: no Auto Scaling group has this instance (unknown or already terminated); nothing was changed"]);

    const bad = capturedOutput();
    expect(await runDrain("web-1", flags(), bad, {})).toBe(EXIT_CODES.badInput);
    expect(bad.stderr).toHaveLength(1);

    const instanceId = await busiest();
    const group = await describeGroup(rt.clients.autoScaling, GROUP);
    await rt.clients.autoScaling.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: GROUP, MinSize: group.desiredCapacity }));
    const below = capturedOutput();
    try {
      expect(await runDrain(instanceId, flags(), below, {})).toBe(EXIT_CODES.badInput);
    } finally {
      await rt.clients.autoScaling.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: GROUP, MinSize: group.minSize }));
    }
    expect(below.stderr).toHaveLength(1);
    expect(below.stderr[0]).toMatch(new RegExp(`^cannot drain ${instanceId}: Standby would take ${GROUP} below its MinSize`));

    await acquireLock(rt, GROUP, "d-held", "deploy");
    const locked = capturedOutput();
    try {
      expect(await runDrain(instanceId, flags({ then: "terminate" }), locked, {})).toBe(EXIT_CODES.badInput);
    } finally {
      await releaseLock(rt, GROUP, "d-held");
    }
    expect(locked.stderr).toEqual([`cannot drain ${instanceId}: ${GROUP} is locked by deploy d-held; try again once it ends`]);
    expect(await drainExecutions()).toBe(0);
  });

  it("--then standby: the instance ends in Standby with no connection left, none forced, its clients moved, the lock released", async () => {
    const instanceId = await busiest();
    const before = { desired: (await describeGroup(rt.clients.autoScaling, GROUP)).desiredCapacity, forced: world.stats.forcedDisconnects, handoffs: world.stats.gracefulHandoffs, total: world.clients.totalConnections() };
    const held = world.clients.connectionsOf(instanceId);
    expect(held).toBeGreaterThan(20);
    const output = capturedOutput();
    const code = await runDrain(instanceId, flags(), output, {});
    expect(code, output.stderr.join("\n")).toBe(EXIT_CODES.succeeded);
    const text = output.stdout.join("\n");
    expect(text).toMatch(new RegExp(`${instanceId} {2}(deregistered, draining|shedding while still registered), \\d+ connections left`));
    expect(output.stdout.at(-1)).toBe(`drained ${instanceId}: in Standby; put it back with aws autoscaling exit-standby --auto-scaling-group-name ${GROUP} --instance-ids ${instanceId}`);

    // EnteringStandby first, then Standby (the group's activity completes).
    let group = await describeGroup(rt.clients.autoScaling, GROUP);
    const stateOf = (): string | undefined => group.instances.find((instance) => instance.instanceId === instanceId)?.lifecycleState;
    expect(["EnteringStandby", "Standby"]).toContain(stateOf());
    // With a target group attached, Standby waits out the deregistration delay (300 s virtual):
    // the wait is bounded in virtual time, so a busy machine cannot make it flaky.
    const standbyBy = world.clock.nowMs + 600_000;
    while (world.clock.nowMs < standbyBy && stateOf() !== "Standby") {
      await sleep(100);
      group = await describeGroup(rt.clients.autoScaling, GROUP);
    }
    expect(stateOf()).toBe("Standby");
    expect(group.desiredCapacity).toBe(before.desired - 1);
    expect(world.clients.connectionsOf(instanceId)).toBe(0);
    expect(world.stats.forcedDisconnects - before.forced).toBe(0);
    // Its clients were handed off gracefully and reconnected elsewhere.
    expect(world.stats.gracefulHandoffs - before.handoffs).toBeGreaterThanOrEqual(held * 0.9);
    expect(world.clients.totalConnections()).toBeGreaterThanOrEqual(before.total * 0.95);
    expect(await readLock(rt, GROUP)).toBeUndefined();
    const drainId = output.stdout[0]?.split(":").at(-1) ?? "";
    expect(await getInstanceDrain(rt, drainId)).toMatchObject({ outcome: "standby", lockReleased: true, then: "standby" });
  });

  it("--then terminate: the drained instance is terminated without a decrement and the group replaces it", async () => {
    const instanceId = await busiest();
    const before = await describeGroup(rt.clients.autoScaling, GROUP);
    const forced = world.stats.forcedDisconnects;
    const output = capturedOutput();
    const code = await runDrain(instanceId, flags({ then: "terminate", output: "json" }), output, {});
    expect(code, output.stderr.join("\n")).toBe(EXIT_CODES.succeeded);
    const report = JSON.parse(output.stdout.join("\n")) as { status: string; output: { outcome: string; lockReleased: boolean } };
    expect(report).toMatchObject({ status: "SUCCEEDED", output: { outcome: "terminated", lockReleased: true } });
    expect(world.stats.forcedDisconnects - forced).toBe(0);
    expect(await readLock(rt, GROUP)).toBeUndefined();
    const known = new Set(before.instances.map((instance) => instance.instanceId));
    let replacement: string | undefined;
    for (let tries = 0; tries < 100 && replacement === undefined; tries += 1) {
      const group = await describeGroup(rt.clients.autoScaling, GROUP);
      expect(group.desiredCapacity).toBe(before.desiredCapacity);
      replacement = group.instances.find((instance) => !known.has(instance.instanceId) && instance.lifecycleState === "InService")?.instanceId;
      if (replacement === undefined) await sleep(200);
    }
    expect(replacement).toBeDefined();
    const gone = (await describeGroup(rt.clients.autoScaling, GROUP)).instances.find((instance) => instance.instanceId === instanceId);
    expect(gone === undefined || gone.lifecycleState.startsWith("Terminat")).toBe(true);
  });
});
