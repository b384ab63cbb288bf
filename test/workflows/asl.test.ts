import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { functionNameForPlaceholder, placeholdersOf, stateMachineNameForPlaceholder, type JsonValue } from "../../infra/asl.ts";
import { loadWorkflows } from "../../sim/local/project.ts";
import { validateDefinition } from "../../emulator/stepfunctions/validate.ts";

const root = join(import.meta.dirname, "../..");
const workflowFiles = readdirSync(join(root, "workflows")).filter((file) => file.endsWith(".asl.json"));
const load = (file: string): Record<string, JsonValue> => JSON.parse(readFileSync(join(root, "workflows", file), "utf8")) as Record<string, JsonValue>;

const states = (file: string): [string, Record<string, unknown>][] =>
  Object.entries(load(file)["States"] as Record<string, Record<string, unknown>>);

describe("workflow definitions", () => {
  it("has the rolling deploy, its batch child, the lifecycle hook workflows and remediation", () => {
    expect(workflowFiles.sort()).toEqual(["deploy-batch.asl.json", "drain.asl.json", "launch-hook.asl.json", "remediate.asl.json", "rolling-deploy.asl.json", "terminate-hook.asl.json"]);
  });

  it.each(workflowFiles)("%s passes asl-validator and the local runner's checks", async (file) => {
    // Rendered the way infra/ renders them for AWS (placeholders → ARNs).
    const definition = (await loadWorkflows({ region: "us-east-1", account: "123456789012" })).get(file.replace(/\.asl\.json$/, ""));
    expect(definition).toBeDefined();
    expect(validateDefinition(definition ?? {})).toEqual([]);
  });

  it("uses state names that are unique across all workflows (local handlers are keyed by them)", () => {
    const names = workflowFiles.flatMap((file) => states(file).map(([name]) => name));
    expect(new Set(names).size).toBe(names.length);
  });

  it("maps every function placeholder to a handler and every state machine placeholder to a definition", async () => {
    for (const placeholder of workflowFiles.flatMap((file) => placeholdersOf(load(file)))) {
      const fn = functionNameForPlaceholder(placeholder);
      const machine = stateMachineNameForPlaceholder(placeholder);
      if (fn !== undefined) {
        const module = (await import(join(root, "functions", `${fn}.ts`))) as { handler?: unknown };
        expect(typeof module.handler, placeholder).toBe("function");
      } else {
        expect(machine, placeholder).toBeDefined();
        expect(existsSync(join(root, "workflows", `${machine ?? ""}.asl.json`)), placeholder).toBe(true);
      }
    }
  });

  it("sets an explicit timeout on every Task and never writes a result over the whole state", () => {
    for (const file of workflowFiles) {
      for (const [name, state] of states(file)) {
        if (state["Type"] === "Task") expect(state["TimeoutSeconds"], `${file} ${name}`).toBeGreaterThan(60);
        expect(state["ResultPath"], `${file} ${name}`).not.toBe("$");
      }
    }
  });

  it("waits only as long as the poll handlers say (adaptive, no fixed sleeps)", () => {
    for (const file of workflowFiles) {
      for (const [name, state] of states(file)) {
        // A poll's result, or PrepareBatch's while its batch may not start yet.
        if (state["Type"] === "Wait") expect(state, `${file} ${name}`).toEqual({ Type: "Wait", SecondsPath: expect.stringMatching(/^\$\.(poll|batch|step|drain)\.waitSeconds$/), Next: expect.any(String) });
      }
    }
  });

  it("routes every failure after the lock to a state that releases it", () => {
    const parent = Object.fromEntries(states("rolling-deploy.asl.json"));
    const releasing = new Set(["ReleaseLockAfterFailure", "BeginRollback", "ReleaseLockAfterRollbackFailure"]);
    for (const [name, state] of Object.entries(parent)) {
      if (state["Type"] !== "Task" || ["ValidateDeployInput", "AcquireDeployLock"].includes(name)) continue;
      if (String(state["Resource"]).includes("FinishDeploy") && name !== "FinishDeploy" && name !== "FinishRollback") continue;
      const catchers = (state["Catch"] ?? []) as { ErrorEquals: string[]; Next: string }[];
      expect(catchers.some((catcher) => catcher.ErrorEquals.includes("States.ALL") && releasing.has(catcher.Next)), name).toBe(true);
    }
  });
});
