import { performance } from "node:perf_hooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runDrain } from "../../cli/commands/drain.ts";
import { EXIT_CODES } from "../../cli/errors.ts";
import { resolveTarget } from "../../cli/target.ts";
import { describeGroup } from "../../core/fleet.ts";
import { getInstanceDrain } from "../../core/instance-drain/record.ts";
import { readLock } from "../../core/lock.ts";
import type { Runtime } from "../../core/runtime.ts";
import { describeTargets, isServing } from "../../core/targets.ts";
import { scenarioConfigSchema } from "../../sim/config/schema.ts";
import { serveLocalAccount, type LocalAccount } from "../../sim/local/account.ts";
import { World } from "../../sim/world.ts";
import { capturedOutput } from "./support.ts";

/*
 * A drain whose check step keeps failing (every invocation times out: Step Functions reports
 * Lambda.Unknown, "Handle Lambda service exceptions",
 * https://docs.aws.amazon.com/step-functions/latest/dg/bp-lambda-serviceexception.html) leaves
 * through the workflow's Catch: the instance, still InService, is told to accept connections again
 * and registered back, and the lock is released. Nothing is left deregistered.
 */

const GROUP = "ebb-demo-asg";

describe("ebb drain when the drain fails part way", { timeout: 180_000 }, () => {
  let world: World;
  let account: LocalAccount;
  let rt: Runtime;

  beforeAll(async () => {
    world = new World(scenarioConfigSchema.parse({ scenario: "cli-drain-failure", faults: { lambda: [{ function: "check-instance-drain", kind: "timeout", rate: 1 }] } }));
    world.advance(120);
    account = await serveLocalAccount(world, { port: 0, speed: 100, realNowMs: () => performance.now() });
    rt = (await resolveTarget({ local: true, endpoint: account.url }, {})).runtime();
  });

  afterAll(async () => {
    await account.close();
  });

  it("exits 1 naming the error; the instance serves again in every target group, the lock is released", async () => {
    const group = await describeGroup(rt.clients.autoScaling, GROUP);
    const instanceId = group.instances.find((instance) => instance.lifecycleState === "InService")?.instanceId ?? "";
    const forced = world.stats.forcedDisconnects;
    const output = capturedOutput();
    const code = await runDrain(instanceId, { then: "standby", follow: true, pollSeconds: 0.2, output: "text", local: true, endpoint: account.url }, output, {});
    expect(code).toBe(EXIT_CODES.failed);
    expect(output.stderr[0]).toMatch(/^the drain ended FAILED: /);
    const after = await describeGroup(rt.clients.autoScaling, GROUP);
    expect(after.instances.find((instance) => instance.instanceId === instanceId)?.lifecycleState).toBe("InService");
    expect(after.desiredCapacity).toBe(group.desiredCapacity);
    const states = await describeTargets(rt.clients.elbv2, rt.stage.targetGroupArns.length > 0 ? rt.stage.targetGroupArns : group.targetGroupArns, [instanceId]);
    const perGroup = [...(states.get(instanceId)?.values() ?? [])];
    expect(perGroup.length).toBeGreaterThan(0);
    expect(perGroup.every(isServing)).toBe(true);
    expect(await readLock(rt, GROUP)).toBeUndefined();
    const drainId = output.stdout[0]?.split(":").at(-1) ?? "";
    expect(await getInstanceDrain(rt, drainId)).toMatchObject({ lockReleased: true, outcome: expect.stringMatching(/^failed: /) as unknown });
    expect(world.stats.forcedDisconnects - forced).toBe(0);
  });
});
