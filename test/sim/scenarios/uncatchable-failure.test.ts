import { StartExecutionCommand } from "@aws-sdk/client-sfn";
import { describe, expect, it } from "vitest";
import { getDeploy } from "../../../core/deploy-store.ts";
import { readLock } from "../../../core/lock.ts";
import { runtime } from "../../../core/runtime.ts";
import { createAwsClients } from "../../../sim/aws-clients.ts";
import { installLocalEbb } from "../../../sim/local/ebb.ts";
import { loadScenario } from "../../../sim/scenarios.ts";
import { warmUpSeconds } from "../../../sim/simulate.ts";
import { World } from "../../../sim/world.ts";
import { fleetAfterRun } from "./support/promises.ts";

const GROUP = "ebb-demo-asg";

// Step Functions: "A States.Runtime error isn't retriable, and will always cause the execution to fail" — no Catch
// takes it, States.ALL included ("Error handling in Step Functions",
// https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html). Going past the history quota
// fails the execution that way ("Step Functions service quotas", https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html).
describe("a rolling deploy that fails on an error no Catch takes, after the lock and the group's changes", () => {
  it("is settled from its FAILED status-change event: processes resumed, delays and launch template restored, lock released", async () => {
    const world = new World(loadScenario("rolling-deploy"));
    world.advance(warmUpSeconds(world.config));
    await world.events.flush();
    // Enough history for the states up to SetTargetLaunchTemplate, not for the first batch.
    const ebb = await installLocalEbb(world, { historyEventLimit: 33 });
    try {
      const { sfn } = createAwsClients(world);
      const input = JSON.stringify({ autoScalingGroupName: GROUP, launchTemplateVersion: "2" });
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: ebb.stateMachineArn, name: "uncatchable", input }));
      const summary = await ebb.stepFunctions.execution(executionArn ?? "").done;
      expect(summary.status).toBe("FAILED");
      expect(summary.error).toBe("States.Runtime");
      const rt = runtime();
      // The workflow's own clean-up never ran: the group is still prepared for the deploy, the lock held.
      expect((await getDeploy(rt, "uncatchable")).outcome).toBeUndefined();
      expect(world.autoscaling.group(GROUP)?.suspendedProcesses.size ?? 0).toBeGreaterThan(0);
      expect(await readLock(rt, GROUP)).toBeDefined();

      await ebb.deliverEvents();

      expect((await getDeploy(rt, "uncatchable")).outcome).toMatchObject({ status: "Failed", cause: expect.stringMatching(/.+/) });
      expect(await readLock(rt, GROUP)).toBeUndefined();
      const fleet = await fleetAfterRun(world);
      expect(fleet.suspendedProcesses).toEqual([]);
      expect(fleet.launchTemplateVersion).toBe("1");
      expect(fleet.deregistrationDelaySeconds).toEqual([300]);
      expect(fleet.desiredCapacity).toBe(12);
      expect(fleet.deregisteredButRunning).toEqual([]);
    } finally {
      await ebb.stop();
    }
  });
});
