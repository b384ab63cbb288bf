import {
  CompleteLifecycleActionCommand,
  DeleteLifecycleHookCommand,
  DescribeLifecycleHooksCommand,
  EnterStandbyCommand,
  ExitStandbyCommand,
  SetDesiredCapacityCommand,
  TerminateInstanceInAutoScalingGroupCommand,
} from "@aws-sdk/client-auto-scaling";
import { describe, expect, it } from "vitest";
import type { ScenarioConfigInput } from "../../../sim/config/schema.ts";
import { advanceUntil, groupName, instanceAt } from "../../support/fleet.ts";
import { rejection } from "../../support/protocol.ts";
import { refreshWorld } from "../../support/refresh.ts";

/*
 * AWS pages followed here:
 * - Add lifecycle hooks: https://docs.aws.amazon.com/autoscaling/ec2/userguide/adding-lifecycle-hooks.html
 *   "If the instance is terminating, both ABANDON and CONTINUE allow the instance to terminate. However, ABANDON
 *   stops any remaining actions, such as other lifecycle hooks, and CONTINUE allows any other lifecycle hooks to complete."
 * - DeleteLifecycleHook: https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_DeleteLifecycleHook.html
 *   "If there are any outstanding lifecycle actions, they are completed first (ABANDON for launching instances,
 *   CONTINUE for terminating instances)."
 * - Amazon EC2 Auto Scaling instance lifecycle: https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-lifecycle.html
 *   (launch hooks act on scale-out events; standby goes Standby → Pending → InService)
 * - Temporarily remove instances from your Auto Scaling group: https://docs.aws.amazon.com/autoscaling/ec2/userguide/as-enter-exit-standby.html
 */

const hooks = (...specs: [string, "launch" | "terminate"][]): ScenarioConfigInput => ({
  fleet: { lifecycleHooks: specs.map(([name, transition]) => ({ name, transition, heartbeatTimeoutSeconds: 3600, defaultResult: "CONTINUE" as const })) },
});

const terminateIntoWait = async (input: ScenarioConfigInput) => {
  const { world, clients } = refreshWorld(input);
  const victim = instanceAt(world, 0);
  await clients.autoScaling.send(new TerminateInstanceInAutoScalingGroupCommand({ InstanceId: victim.instanceId, ShouldDecrementDesiredCapacity: true }));
  advanceUntil(world, () => victim.lifecycleState === "Terminating:Wait");
  const complete = (LifecycleHookName: string, LifecycleActionResult: "CONTINUE" | "ABANDON") =>
    clients.autoScaling.send(new CompleteLifecycleActionCommand({ AutoScalingGroupName: groupName(world), LifecycleHookName, InstanceId: victim.instanceId, LifecycleActionResult }));
  return { world, clients, victim, complete };
};

describe("several terminate hooks", () => {
  it("ABANDON on one stops the remaining ones: the instance terminates without them", async () => {
    const { world, victim, complete } = await terminateIntoWait(hooks(["backup", "terminate"], ["drain", "terminate"]));
    await complete("backup", "ABANDON");
    world.advance(1);
    expect(victim.lifecycleState.startsWith("Terminating:Proceed") || victim.lifecycleState === "Terminated").toBe(true);
    const late = await rejection(complete("drain", "CONTINUE"));
    expect(late.name).toBe("ValidationError");
    expect(late.message).toContain("No active Lifecycle Action found");
  });

  it("CONTINUE on one lets the others run", async () => {
    const { world, victim, complete } = await terminateIntoWait(hooks(["backup", "terminate"], ["drain", "terminate"]));
    await complete("backup", "CONTINUE");
    world.advance(60);
    expect(victim.lifecycleState).toBe("Terminating:Wait");
    await complete("drain", "CONTINUE");
    advanceUntil(world, () => victim.lifecycleState === "Terminated");
  });
});

describe("DeleteLifecycleHook", () => {
  it("completes a terminating instance's outstanding action with CONTINUE and removes the hook", async () => {
    const { world, clients, victim } = await terminateIntoWait(hooks(["drain", "terminate"]));
    await clients.autoScaling.send(new DeleteLifecycleHookCommand({ AutoScalingGroupName: groupName(world), LifecycleHookName: "drain" }));
    advanceUntil(world, () => victim.lifecycleState === "Terminated", 60);
    const described = await clients.autoScaling.send(new DescribeLifecycleHooksCommand({ AutoScalingGroupName: groupName(world) }));
    expect(described.LifecycleHooks).toEqual([]);
    const again = await rejection(clients.autoScaling.send(new DeleteLifecycleHookCommand({ AutoScalingGroupName: groupName(world), LifecycleHookName: "drain" })));
    expect(again.name).toBe("ValidationError");
  });

  it("completes a launching instance's outstanding action with ABANDON", async () => {
    const { world, clients } = refreshWorld(hooks(["warm", "launch"]));
    await clients.autoScaling.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: groupName(world), DesiredCapacity: 5 }));
    advanceUntil(world, () => world.autoscaling.instanceByLaunchIndex(4)?.lifecycleState === "Pending:Wait");
    await clients.autoScaling.send(new DeleteLifecycleHookCommand({ AutoScalingGroupName: groupName(world), LifecycleHookName: "warm" }));
    world.advance(1);
    expect(instanceAt(world, 4).lifecycleState.startsWith("Terminat")).toBe(true);
  });
});

describe("ExitStandby", () => {
  it("returns the instance to service through Pending without running launch hooks", async () => {
    const { world, clients } = refreshWorld(hooks(["warm", "launch"]));
    const instance = instanceAt(world, 0);
    const InstanceIds = [instance.instanceId];
    await clients.autoScaling.send(new EnterStandbyCommand({ AutoScalingGroupName: groupName(world), InstanceIds, ShouldDecrementDesiredCapacity: true }));
    advanceUntil(world, () => instance.lifecycleState === "Standby");
    await clients.autoScaling.send(new ExitStandbyCommand({ AutoScalingGroupName: groupName(world), InstanceIds }));
    expect(instance.lifecycleState).toBe("Pending");
    advanceUntil(world, () => instance.lifecycleState === "InService", 10);
    expect(world.events.published().filter((event) => event["detail-type"] === "EC2 Instance-launch Lifecycle Action")).toEqual([]);
  });
});
