import { describe, expect, it } from "vitest";
import type { InstanceStateName, StatusType, SummaryStatus } from "@aws-sdk/client-ec2";
import { deadReason, drainingInstanceIds, isStillDraining, type InstanceStatusEntry } from "../../../core/drain/liveness.ts";
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

// DescribeInstanceStatus (EC2 API Reference): InstanceStatusSummary.Status is ok | impaired |
// insufficient-data | not-applicable | initializing; the reachability detail passed | failed |
// insufficient-data | initializing
// (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_InstanceStatusSummary.html). Only
// impaired with reachability failed, or a state past running, is death.
describe("a dead host, on EC2's word only", () => {
  const entry = (state: string, status: string, reach: string): InstanceStatusEntry => ({
    InstanceId: "i-a",
    InstanceState: { Name: state as InstanceStateName },
    InstanceStatus: { Status: status as SummaryStatus, Details: [{ Name: "reachability", Status: reach as StatusType, ImpairedSince: new Date("2026-01-01T00:10:00Z") }] },
  });

  it("is dead when the instance status check is impaired with reachability failed", () => {
    expect(deadReason(entry("running", "impaired", "failed"))).toBe("instance status impaired (reachability failed since 2026-01-01T00:10:00.000Z)");
  });

  it("is dead once EC2 has it shutting down, terminated or stopped", () => {
    for (const state of ["shutting-down", "terminated", "stopped"]) expect(deadReason(entry(state, "not-applicable", "insufficient-data"))).toBe(`EC2 state ${state}`);
  });

  it("is alive while the check is ok, initializing or has insufficient data, and while impaired without a failed reachability", () => {
    expect(deadReason(entry("running", "ok", "passed"))).toBeUndefined();
    expect(deadReason(entry("running", "initializing", "initializing"))).toBeUndefined();
    expect(deadReason(entry("running", "insufficient-data", "insufficient-data"))).toBeUndefined();
    expect(deadReason(entry("running", "impaired", "insufficient-data"))).toBeUndefined();
    expect(deadReason(entry("pending", "initializing", "initializing"))).toBeUndefined();
    expect(deadReason({ InstanceId: "i-a", InstanceState: { Name: "running" } })).toBeUndefined();
  });
});
