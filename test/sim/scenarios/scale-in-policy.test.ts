import { describe, expect, it } from "vitest";
import { loadScenario } from "../../../sim/scenarios.ts";
import { simulate } from "../../../sim/simulate.ts";

/**
 * Connection-aware scale in: the same uneven fleet (launch indexes 6, 9, 10, 11 hold a quarter of
 * the others' load) scaled from 12 to 8, once with Ebb's termination policy, once with AWS's
 * default one (Auto Scaling user guide, "Create a custom termination policy with Lambda" and
 * "Configure termination policies": zone balance first, then the policy decides within a zone).
 */
describe("scale-in: Ebb's termination policy against the default one, side by side", () => {
  it("terminates the quietest instance(s) of each zone, moving a quarter of the connections the default policy moves", async () => {
    const ebb = await simulate(loadScenario("scale-in"));
    const aws = await simulate(loadScenario("scale-in-default-policy"));
    for (const report of [ebb, aws]) {
      expect(report.outcome).toBe("Succeeded");
      expect(report.instances.terminated).toBe(4);
      expect(report.connections.forcedDisconnects).toBe(0);
      expect(report.lifecycle.duplicateCompletions).toBe(0);
      expect(report.fleet.deregisteredButRunning).toBe(0);
    }
    expect(ebb.scaleIn.terminationPolicies).toEqual(["arn:aws:lambda:us-east-1:123456789012:function:termination-policy", "Default"]);
    expect(ebb.scaleIn.victims.map((victim) => victim.instanceId).sort()).toEqual(["i-0000000000000007", "i-000000000000000a", "i-000000000000000b", "i-000000000000000c"]);
    expect(ebb.scaleIn.notQuietest).toBe(0);
    expect(ebb.scaleIn.policyFailures).toBe(0);
    expect(aws.scaleIn.terminationPolicies).toEqual(["Default"]);
    expect(aws.scaleIn.victims.map((victim) => victim.instanceId).sort()).toEqual(["i-0000000000000001", "i-0000000000000002", "i-0000000000000003", "i-0000000000000004"]);
    expect(aws.scaleIn.notQuietest).toBe(4);
    expect(ebb.scaleIn.connectionsMoved * 3).toBeLessThan(aws.scaleIn.connectionsMoved);
    expect(ebb.connections.gracefulHandoffs * 3).toBeLessThan(aws.connections.gracefulHandoffs);
  });
});

describe("control-plane-outage: every Ebb function failing for 10 minutes during a scale in", () => {
  it("lets every action end with its DefaultResult, and leaves the fleet consistent", async () => {
    const report = await simulate(loadScenario("control-plane-outage"));
    expect(report.outcome).toBe("Succeeded");
    // The terminate hooks' 300 s HeartbeatTimeout passes with nobody answering: CONTINUE, as configured.
    expect(report.lifecycle).toMatchObject({ completed: 0, timedOut: 4, duplicateCompletions: 0 });
    expect(report.instances.terminated).toBe(4);
    // Nobody drained them: the ASG's default result let them go with their clients (those that had not churned away in 300 s).
    expect(report.instances.terminatedWithoutDrain).toBe(4);
    expect(report.connections.forcedDisconnectsBy.termination).toBeGreaterThan(0.9 * report.scaleIn.connectionsMoved);
    expect(report.connections.gracefulHandoffs).toBe(0);
    expect(report.fleet).toMatchObject({ deregisteredButRunning: 0, unregisteredInService: 0, desiredCapacity: 8, lockHeld: false });
  });

  it("with a HeartbeatTimeout longer than the outage the reconciler drains and continues the stuck actions: nobody is cut", async () => {
    const report = await simulate(loadScenario("control-plane-outage-long-heartbeat"));
    expect(report.outcome).toBe("Succeeded");
    expect(report.lifecycle).toMatchObject({ completed: 4, timedOut: 0, duplicateCompletions: 0 });
    expect(report.connections.forcedDisconnects).toBe(0);
    expect(report.instances).toMatchObject({ terminated: 4, terminatedWithoutDrain: 0 });
    expect(report.fleet).toMatchObject({ deregisteredButRunning: 0, unregisteredInService: 0, desiredCapacity: 8, lockHeld: false });
  });
});
