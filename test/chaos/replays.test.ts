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

  // Someone else sets the desired capacity while a surge deploy has it raised (3 → 5, set to 6;
  // 6 → 8, set to 9): their value is the group's configuration from then on, and the rollback
  // removes only the deploy's own surplus, not their change.
  it("run 25: a rollback keeps the desired capacity an operator set during the surge", async () => {
    expect(await replay(25)).toEqual([]);
  }, 120_000);

  it("run 49: and so does a bad release's rollback on a fleet of six", async () => {
    expect(await replay(49)).toEqual([]);
  }, 120_000);

  // The operator set the value the surge had the group at already: nothing changed, nothing is kept.
  it("run 20: a SetDesiredCapacity to the current value is no change to keep", async () => {
    expect(await replay(20)).toEqual([]);
  }, 120_000);
});
