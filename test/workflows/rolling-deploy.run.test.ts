import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configureRuntime, resetRuntime } from "../../core/runtime.ts";
import { inProcessClientConfig } from "../../sim/aws-clients.ts";
import { scenarioConfigSchema, type ScenarioConfigInput } from "../../sim/config/schema.ts";
import { loadFunctionHandlers, loadWorkflows } from "../../sim/local/project.ts";
import { runStateMachine } from "../../emulator/stepfunctions/index.ts";
import type { AslDefinition, RunResult } from "../../emulator/stepfunctions/types.ts";
import { World } from "../../sim/world.ts";
import { startTestDynamo, testTables, type TestDynamo } from "../core/support/dynamo.ts";

let dynamo: TestDynamo;
beforeAll(async () => {
  dynamo = await startTestDynamo();
});
afterAll(async () => {
  resetRuntime();
  await dynamo.db.stop();
});

let executionSequence = 0;

/** A workflow rendered as the local account renders it: functions and state machines go by their own names. */
async function workflow(name: string): Promise<AslDefinition> {
  const definition = (await loadWorkflows({ region: "us-east-1", account: "123456789012" })).get(name);
  if (definition === undefined) throw new Error(`workflows/ has no ${name}.asl.json`);
  return definition;
}

/** Runs rolling-deploy.asl.json on the local runner against a fresh emulated fleet. */
async function runDeploy(scenario: ScenarioConfigInput, input: Record<string, unknown>): Promise<{ world: World; result: RunResult }> {
  const world = new World(scenarioConfigSchema.parse(scenario));
  const group = world.config.fleet.autoScalingGroupName;
  configureRuntime({
    clientConfig: inProcessClientConfig(world),
    dynamoDbClientConfig: dynamo.clientConfig,
    clock: world.clock,
    stage: { stage: "test", autoScalingGroups: [group], tables: testTables, deployDefaults: { bakeSeconds: 0 } },
    logLevel: "SILENT",
  });
  executionSequence += 1;
  const result = await runStateMachine({
    clock: { get nowMs() { return world.clock.nowMs; }, advance: (seconds) => world.advance(seconds) },
    handlers: await loadFunctionHandlers(),
    definition: await workflow("rolling-deploy"),
    name: "rolling-deploy",
    stateMachines: [{ name: "deploy-batch", definition: await workflow("deploy-batch") }],
    input: { autoScalingGroupName: group, ...input },
    executionName: `deploy-${executionSequence}`,
    nextRequestId: () => world.nextRequestId(),
  });
  return { world, result };
}

const versions = (world: World): string[] =>
  world.autoscaling.instances().filter((instance) => instance.ec2State !== "terminated").map((instance) => instance.launchTemplate.version);

describe("rolling-deploy on the local runner", () => {
  it("rolls a 12-instance fleet from v1 to v2 without cutting a connection", async () => {
    const { world, result } = await runDeploy({}, { launchTemplateVersion: "2", batchSize: "25%", minHealthyPercent: 75 });
    expect(result.error, result.cause).toBeUndefined();
    expect(result.status).toBe("SUCCEEDED");
    // The ASG waits the whole deregistration delay before it terminates the last drained batch.
    world.advance(world.config.targetGroup.deregistrationDelaySeconds);
    expect(new Set(versions(world))).toEqual(new Set(["2"]));
    expect(versions(world)).toHaveLength(12);
    expect(world.stats.forcedDisconnects).toBe(0);
    expect(world.stats.terminatedWithoutDrain).toBe(0);
    expect(Math.max(...result.executions.map((execution) => execution.historyEvents))).toBeLessThan(25_000);
  });

  it("surges: launches each batch first, so capacity never drops", async () => {
    const { world, result } = await runDeploy({ fleet: { maxSize: 16 } }, { launchTemplateVersion: "2", mode: "surge", minHealthyPercent: 100 });
    expect(result.status, result.cause).toBe("SUCCEEDED");
    expect(world.autoscaling.instances().filter((instance) => instance.lifecycleState === "InService").map((instance) => instance.launchTemplate.version)).toEqual(Array(12).fill("2"));
    expect(world.stats.forcedDisconnects).toBe(0);
    expect(world.stats.terminatedWithoutDrain).toBe(0);
  });

  it("rolls a bad release back: every instance on v1 again, nothing cut, lock released", async () => {
    const { world, result } = await runDeploy(
      { app: { versions: { "2": { healthy: false } } } },
      { launchTemplateVersion: "2", health: { timeoutSeconds: 300 } },
    );
    expect(result.status).toBe("FAILED");
    expect(result.error).toBe("RolledBack");
    expect(result.cause).toMatch(/^HealthCheckTimeout: batch 1 \(deploy\)/);
    // Was 60 s: the ASG now waits the whole deregistration delay before terminating what it replaces.
    world.advance(world.config.targetGroup.deregistrationDelaySeconds);
    expect(new Set(versions(world))).toEqual(new Set(["1"]));
    expect(world.stats.forcedDisconnects).toBe(0);
    expect(world.stats.terminatedWithoutDrain).toBe(0);
    // The lock is free again: a new deploy may start.
    const again = await runDeploy({}, { launchTemplateVersion: "2", dryRun: true });
    expect(again.result.status).toBe("SUCCEEDED");
    expect(again.result.output).toMatchObject({ plan: { dryRun: true, batchCount: 4, plan: { batches: expect.any(Array) } } });
  });

  it("fails in its first state listing every problem, and changes nothing", async () => {
    const { world, result } = await runDeploy({}, { batchSize: "150%", mode: "rolling", minHealthyPercent: 120 });
    expect(result.status).toBe("FAILED");
    expect(result.error).toBe("InvalidDeployInput");
    expect(result.cause).toContain("batchSize");
    expect(result.cause).toContain("mode");
    expect(result.cause).toContain("minHealthyPercent");
    expect(result.executions[0]?.historyEventTypes.filter((type) => type === "TaskScheduled" || type === "LambdaFunctionScheduled")).toHaveLength(1);
    expect(new Set(versions(world))).toEqual(new Set(["1"]));
  });
});
