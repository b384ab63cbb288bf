import { describe, expect, it } from "vitest";
import { drainingInstanceIds, isStillDraining } from "../../../core/drain/liveness.ts";
import type { GroupView, InstanceView } from "../../../core/types.ts";

const instance = (instanceId: string, lifecycleState: string): InstanceView => ({
  instanceId,
  availabilityZone: "us-east-1a",
  lifecycleState,
  healthStatus: "Healthy",
  launchTemplateVersion: "1",
  protectedFromScaleIn: false,
});

// Amazon EC2 Auto Scaling lifecycle: a terminating instance with a terminate hook waits in
// Terminating:Wait (still running, still serving its open connections) until the action completes,
// then Terminating:Proceed and Terminated —
// https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-lifecycle.html
describe("drain liveness", () => {
  it("counts an instance held in Terminating:Wait as still draining, not gone", () => {
    expect(isStillDraining(instance("i-a", "Terminating:Wait"))).toBe(true);
    expect(isStillDraining(instance("i-a", "InService"))).toBe(true);
  });

  it("counts an instance past the point of no return, or out of the group, as gone", () => {
    for (const state of ["Terminating", "Terminating:Proceed", "Terminated"]) expect(isStillDraining(instance("i-a", state))).toBe(false);
    expect(isStillDraining(undefined)).toBe(false);
  });

  it("lists the group's instances a drain still waits for", () => {
    const group = { instances: [instance("i-a", "Terminating:Wait"), instance("i-b", "Terminating:Proceed"), instance("i-c", "InService")] } as Pick<GroupView, "instances">;
    expect([...drainingInstanceIds(group as GroupView)]).toEqual(["i-a", "i-c"]);
  });
});
