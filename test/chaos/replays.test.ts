import { describe, expect, it } from "vitest";
import { runChaosCase } from "../../chaos/suite.ts";

/**
 * Chaos runs that once broke an invariant, replayed from their seed and index: each case is drawn
 * from the pair alone, so the replay is the same fault mix every time.
 */
const replay = async (index: number) => {
  const result = await runChaosCase(1, index);
  return result.violations.map((violation) => `${violation.invariant}: ${violation.detail}`);
};

describe("chaos replays (seed 1)", () => {
  // A scale out whose launch hook meets a 176 s control-plane outage: Step Functions retries
  // Lambda.ServiceException until Lambda is back instead of failing the hook workflow.
  it("run 35: a launch hook workflow rides out a three-minute control-plane outage", async () => {
    expect(await replay(35)).toEqual([]);
  }, 120_000);

  it("run 36: and a two-minute one during a scale out with a never-healthy launch", async () => {
    expect(await replay(36)).toEqual([]);
  }, 120_000);

  // A 10 s deregistration delay and drains no trigger raises it for: a stuck termination the
  // reconciler drains (its event lost) and a remediation drain shed before they deregister,
  // like the terminate hook, instead of leaving the load balancer to cut them after 10 s.
  it("run 4: a scale in under Auto Scaling contention with a 10 s delay cuts nobody", async () => {
    expect(await replay(4)).toEqual([]);
  }, 120_000);

  it("run 27: remediation around a control-plane outage with a 10 s delay cuts nobody", async () => {
    expect(await replay(27)).toEqual([]);
  }, 180_000);
});
