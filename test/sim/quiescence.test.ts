import { describe, expect, it } from "vitest";
import { parseScenarioConfig, loadScenario } from "../../sim/scenarios.ts";
import { settle, unsettledWork } from "../../sim/quiescence.ts";
import { simulate } from "../../sim/simulate.ts";
import { asg, elb, groupName, instanceAt, makeWorld, targetGroupArn } from "../support/fleet.ts";

// Target groups for your Application Load Balancers, "Deregistration delay":
// https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-target-groups.html#deregistration-delay
// a deregistering target stays `draining` until the delay elapses; an ALB then closes what is still open.
describe("quiescence: a run ends only once nothing is left in motion", () => {
  it("a draining target holding connections is unsettled until the load balancer has cut them", async () => {
    const world = makeWorld({ targetGroup: { deregistrationDelaySeconds: 30 } });
    expect(unsettledWork(world)).toEqual([]);
    const id = instanceAt(world, 0).instanceId;
    elb(world, "DeregisterTargets", { TargetGroupArn: targetGroupArn(world), Targets: [{ Id: id }] });
    expect(unsettledWork(world)).toEqual(["targets draining: 1", "instances holding connections still to be cut: 1"]);
    const settlement = await settle(world, 3600);
    expect(settlement).toEqual({ quiescent: true, settleSeconds: 30, unsettled: [] });
    expect(world.stats.forcedDisconnects).toBe(100);
  });

  it("a scale in its Lambda termination policy has not answered yet is unsettled (nothing is leaving yet)", async () => {
    // Auto Scaling user guide, "Create a custom termination policy with Lambda": with no instances
    // returned the group asks again later, "as long as the group's desired capacity is less than its current capacity".
    const world = makeWorld({ clients: { sessions: 0 } });
    asg(world, "UpdateAutoScalingGroup", { AutoScalingGroupName: groupName(world), TerminationPolicies: ["arn:aws:lambda:us-east-1:123456789012:function:never-answers"] });
    asg(world, "SetDesiredCapacity", { AutoScalingGroupName: groupName(world), DesiredCapacity: "1" });
    expect(unsettledWork(world)).toEqual(["instances still to terminate: 2"]);
    asg(world, "SuspendProcesses", { AutoScalingGroupName: groupName(world), ScalingProcesses: ["Terminate"] });
    expect(unsettledWork(world)).toEqual([]);
  });

  it("gives up at its bound and says what was still moving", async () => {
    const world = makeWorld({ targetGroup: { deregistrationDelaySeconds: 300 } });
    elb(world, "DeregisterTargets", { TargetGroupArn: targetGroupArn(world), Targets: [{ Id: instanceAt(world, 1).instanceId }] });
    const settlement = await settle(world, 10);
    expect(settlement.quiescent).toBe(false);
    expect(settlement.settleSeconds).toBe(10);
    expect(settlement.unsettled).toContain("targets draining: 1");
  });

  it("counts the connections the load balancer cuts after the strategy's last step (seed-script)", async () => {
    let forcedWhenScriptEnded: number | undefined;
    const report = await simulate(loadScenario("rolling-deploy"), {
      strategy: "seed-script",
      onProgress: (progress) => {
        if (progress.phase === "settle") forcedWhenScriptEnded = progress.forcedDisconnects;
      },
    });
    // The script deregisters, sleeps 10 s and terminates; the ASG waits out the 300 s delay, so the
    // last servers' clients are cut minutes after the script's final `sleep 30`.
    expect(forcedWhenScriptEnded).toBeDefined();
    expect(report.connections.forcedDisconnects).toBeGreaterThan((forcedWhenScriptEnded ?? 0) + 500);
    expect(report.quiescence.quiescent).toBe(true);
    expect(report.quiescence.settleSeconds).toBeGreaterThan(100);
    expect(report.instances.terminated).toBe(12);
    expect(report.instances.terminatedWithoutDrain).toBe(12);
  });

  it("a world that never settles within run.maxVirtualSeconds ends Unsettled, naming what still moves", async () => {
    // The replacement of a crashed instance waits on a launch hook nobody completes.
    const config = parseScenarioConfig(
      {
        fleet: { desiredCapacity: 3, lifecycleHooks: [{ name: "wait-for-bootstrap", transition: "launch", heartbeatTimeoutSeconds: 3600 }] },
        clients: { sessions: 300 },
        faults: { crashes: [{ atSeconds: 5, instanceIndex: 0 }] },
        run: { kind: "idle", durationSeconds: 120, maxVirtualSeconds: 60 },
      },
      "test",
    );
    const report = await simulate(config);
    expect(report.outcome).toBe("Unsettled");
    expect(report.quiescence).toMatchObject({ quiescent: false, settleSeconds: 60 });
    expect(report.cause).toMatch(/^Succeeded; 60 virtual s later the world had not settled/);
    expect(report.cause).toMatch(/instances Pending:Wait: 1/);
    expect(report.cause).toMatch(/lifecycle actions open: 1/);
  });
});
