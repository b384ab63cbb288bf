import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import { getDeploy } from "../../../core/deploy-store.ts";
import { readLock } from "../../../core/lock.ts";
import { runtime } from "../../../core/runtime.ts";
import { LOCK_KEY } from "../../../core/tables.ts";
import { installLocalEbb, type LocalEbb } from "../../../sim/local/ebb.ts";
import { loadScenario } from "../../../sim/scenarios.ts";
import { World } from "../../../sim/world.ts";

/** Each instance's id, lifecycle (a termination in progress and a finished one alike) and version. */
const fleetView = (instances: readonly { instanceId: string; lifecycleState: string; launchTemplate: { version: string } }[]): string =>
  JSON.stringify(instances.map((instance) => [instance.instanceId, instance.lifecycleState.startsWith("Terminat") ? "leaving" : instance.lifecycleState, instance.launchTemplate.version]));

const GROUP = "ebb-demo-asg";
/** The bake outlasts the stage's lease (stages/dev.json: 1800 s) by far. */
const LONG_BAKE = { autoScalingGroupName: GROUP, launchTemplateVersion: "2", batchSize: "50%", bakeSeconds: 3 * 3600 };

async function installed(): Promise<{ world: World; ebb: LocalEbb }> {
  const world = new World(loadScenario("rolling-deploy"));
  world.advance(60);
  await world.events.flush();
  return { world, ebb: await installLocalEbb(world) };
}

const versions = (world: World): string[] =>
  [...new Set(world.autoscaling.instances().filter((instance) => instance.ec2State !== "terminated").map((instance) => instance.launchTemplate.version))].sort();

describe("the deploy lock is a lease renewed by every poll", () => {
  it("keeps a second deploy out for the whole of a bake longer than the lease", async () => {
    const { world, ebb } = await installed();
    try {
      expect(ebb.stage.lockLeaseSeconds).toBe(1800);
      // Virtual time only moves while some execution sleeps: a Wait state is the test's timer.
      ebb.stepFunctions.register({ name: "later", definition: { StartAt: "Sleep", States: { Sleep: { Type: "Wait", Seconds: 3000, End: true } } } });
      const first = ebb.stepFunctions.start("rolling-deploy", LONG_BAKE, { name: "first" });
      await ebb.stepFunctions.start("later", {}).done;
      // 50 minutes in: the first batch has been baking for well over the 30-minute lease.
      expect((await readLock(runtime(), GROUP))?.owner).toBe("first");
      const second = await ebb.stepFunctions.start("rolling-deploy", LONG_BAKE, { name: "second" }).done;
      expect(second.status).toBe("FAILED");
      expect(second.error).toBe("DeployInProgress");
      expect(second.cause).toMatch(/locked by deploy first/);

      const summary = await first.done;
      expect(summary.status, summary.cause).toBe("SUCCEEDED");
      expect(versions(world)).toEqual(["2"]);
      expect(await readLock(runtime(), GROUP)).toBeUndefined();
      expect(world.stats.forcedDisconnects).toBe(0);
    } finally {
      await ebb.stop();
    }
  });

  it("stops a deploy that lost its lock with DeployLockLost, touching nothing after and keeping the new holder's lock", async () => {
    const { world, ebb } = await installed();
    try {
      let takenOver = false;
      const rt = runtime();
      const takeOver = async (): Promise<void> => {
        // As another execution would after a lapsed lease: the lock now names someone else.
        const now = Math.floor(world.clock.nowMs / 1000);
        await rt.clients.dynamo.send(new PutCommand({
          TableName: rt.stage.tables.locks,
          Item: { [LOCK_KEY]: `asg#${GROUP}`, owner: "intruder", kind: "deploy", acquiredAt: new Date(world.clock.nowMs).toISOString(), leaseExpiresAt: now + 1800, expiresAt: now + 1800 + 7 * 86_400 },
        }));
      };
      let pending: Promise<void> = Promise.resolve();
      let fleetAtTakeover = "";
      const unsubscribe = ebb.stepFunctions.subscribe((event) => {
        if (takenOver || event.kind !== "state" || event.stateName !== "WaitForBake" || event.phase !== "entered") return;
        takenOver = true;
        fleetAtTakeover = fleetView(world.autoscaling.instances());
        pending = takeOver();
      });
      const summary = await ebb.stepFunctions.start("rolling-deploy", LONG_BAKE, { name: "first" }).done;
      unsubscribe();
      await pending;
      expect(takenOver).toBe(true);
      expect(summary.status).toBe("FAILED");
      expect(summary.error).toBe("DeployLockLost");
      expect(summary.cause).toMatch(/deploy first lost the lock on .*ebb-demo-asg.* \(now held by deploy intruder\)/);
      // No rollback, no cleanup: the group is as it was when the lock changed hands, and the new holder keeps it.
      // (A termination the ASG had already begun may finish; the ASG may replace it: neither is Ebb.)
      const atTakeover = new Set((JSON.parse(fleetAtTakeover) as string[][]).map(([id]) => id));
      expect(fleetView(world.autoscaling.instances().filter((instance) => atTakeover.has(instance.instanceId)))).toBe(fleetAtTakeover);
      expect((await readLock(rt, GROUP))?.owner).toBe("intruder");
      expect((await getDeploy(rt, "first")).outcome).toMatchObject({ status: "Failed", cause: expect.stringMatching(/lost the lock/) });
      expect(world.stats.forcedDisconnects).toBe(0);
    } finally {
      await ebb.stop();
    }
  });
});
