import { describe, expect, it } from "vitest";
import { LOCK_LOST, withLockLostCatchers } from "../../infra/lock-lost.ts";
import { loadWorkflows } from "../../sim/local/project.ts";

type State = { Type: string; Catch?: { ErrorEquals: string[]; Next: string }[] };
const local = await loadWorkflows({ region: "us-east-1", account: "123456789012" });
const statesOf = (name: string): [string, State][] => Object.entries((local.get(name) as unknown as { States: Record<string, State> }).States);

describe("a deploy that lost its lock stops at once", () => {
  it("routes DeployLockLost from every Task of rolling-deploy to its Fail state, ahead of States.ALL", () => {
    const tasks = statesOf("rolling-deploy").filter(([, state]) => state.Type === "Task");
    expect(tasks.length).toBeGreaterThan(10);
    for (const [name, state] of tasks) expect(state.Catch?.[0], name).toEqual({ ErrorEquals: [LOCK_LOST], Next: LOCK_LOST });
    expect(Object.fromEntries(statesOf("rolling-deploy"))[LOCK_LOST]).toMatchObject({ Type: "Fail", Error: LOCK_LOST });
  });

  it("leaves a workflow without that Fail state (the batch child) as it is: its failure reaches the parent", () => {
    for (const [name, state] of statesOf("deploy-batch")) expect(state.Catch, name).toBeUndefined();
    const definition = { StartAt: "A", States: { A: { Type: "Task", Resource: "x", End: true } } };
    expect(withLockLostCatchers(definition)).toEqual(definition);
  });
});
