import { describe, expect, it } from "vitest";
import { loadScenario } from "../../../sim/scenarios.ts";
import { simulate } from "../../../sim/simulate.ts";

/**
 * AWS Instance Refresh honors lifecycle hooks (Auto Scaling user guide, "Use an instance refresh
 * to update instances in an Auto Scaling group"; "Amazon EC2 Auto Scaling lifecycle hooks"), so
 * in `ebb` registration mode Ebb's hooks make it connection-aware: each replacement is
 * registered and verified before it counts, each old instance deregistered and drained before
 * it goes. The baseline is the same refresh with the target group attached and no hooks, where
 * only the deregistration delay drains.
 */
describe("instance-refresh-hooks: Instance Refresh through Ebb's hooks, against the plain refresh", () => {
  it("replaces every instance with no forced disconnect, where the plain refresh cuts nearly every client", async () => {
    const hooked = await simulate(loadScenario("instance-refresh-hooks"));
    const plain = await simulate(loadScenario("rolling-deploy"), { strategy: "instance-refresh" });
    for (const report of [hooked, plain]) {
      expect(report.strategy).toBe("instance-refresh");
      expect(report.outcome).toBe("Succeeded");
      expect(report.instances).toMatchObject({ launched: 12, terminated: 12 });
      expect(report.fleet).toMatchObject({ versions: { "2": 12 }, deregisteredButRunning: 0, unregisteredInService: 0 });
    }
    expect(hooked.connections.forcedDisconnects).toBe(0);
    expect(hooked.instances.terminatedWithoutDrain).toBe(0);
    // Every action answered by a hook (12 launches, 12 terminations), none twice, none left to time out.
    expect(hooked.lifecycle).toMatchObject({ completed: 24, timedOut: 0, duplicateCompletions: 0 });
    expect(hooked.stepFunctions.executions).toBe(24);
    // Each round's victims came from Ebb's termination policy (Cause INSTANCE_REFRESH), answered in time.
    expect(hooked.scaleIn.policyInvocations).toBeGreaterThan(0);
    expect(hooked.scaleIn.policyFailures).toBe(0);
    expect(plain.connections.forcedDisconnects).toBeGreaterThan(10_000);
    expect(plain.instances.terminatedWithoutDrain).toBe(12);
  });
});
