import { mkdir, mkdtemp, readFile, writeFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { stageConfigSchema } from "../../core/stage.ts";
import { placeholdersOf, type JsonValue } from "../../infra/asl.ts";
import { ConventionError } from "../../infra/errors.ts";
import { LOG_DELIVERY_ACTIONS, assertLeastPrivilege, isReadAction, isWildcardResource } from "../../infra/iam.ts";
import { planStage, type StagePlan } from "../../infra/plan.ts";
import { readProjectSources, type ProjectSources } from "../../infra/project.ts";
import { loadStageSettings, parseStageSettings, type StageSettings } from "../../infra/stage-config.ts";

const root = join(import.meta.dirname, "..", "..");
const settings = await loadStageSettings(root, "dev");
const settingsFile = JSON.parse(await readFile(join(root, "stages", "dev.json"), "utf8")) as Record<string, unknown>;

const task = (resource: string, next?: string): JsonValue => ({ Type: "Task", Resource: resource, ...(next ? { Next: next } : { End: true }) });
const startChild = (placeholder: string): JsonValue => ({
  Type: "Task",
  Resource: "arn:aws:states:::states:startExecution.sync:2",
  Parameters: { StateMachineArn: `\${${placeholder}}`, "Input.$": "$" },
  End: true,
});
const sources = (workflows: Record<string, JsonValue>, functions = ["check-batch-drain", "settle-stopped-deploy", "validate-deploy-input"]): ProjectSources => ({
  functions,
  workflows: new Map(Object.entries(workflows)),
});
const demo = sources({
  "rolling-deploy": { StartAt: "Check", States: { Check: task("${ValidateDeployInputFunctionArn}", "Batch"), Batch: startChild("DeployBatchStateMachineArn") } },
  "deploy-batch": { StartAt: "Check", States: { Check: task("${CheckBatchDrainFunctionArn}") } },
});

/** No statement anywhere in the plan allows a mutating action on `*` (log delivery only when opted in). */
const assertPlanLeastPrivilege = (plan: StagePlan): void => {
  for (const fn of plan.functions) assertLeastPrivilege(fn.permissions);
  const accepted = plan.settings.workflowLogging === "OFF" ? [] : LOG_DELIVERY_ACTIONS;
  for (const machine of plan.stateMachines) assertLeastPrivilege(machine.statements, { acceptedUnscopedWrites: accepted });
};

describe("planStage", () => {
  const plan = planStage(settings, demo);

  it("creates children before the workflows that start them, with every placeholder rendered", () => {
    expect(plan.stateMachines.map((machine) => machine.resourceName)).toEqual(["ebb-dev-deploy-batch", "ebb-dev-rolling-deploy"]);
    for (const machine of plan.stateMachines) expect(placeholdersOf(machine.definition)).toEqual([]);
    const rendered = JSON.stringify(plan.stateMachines[1]?.definition);
    expect(rendered).toContain("arn:aws:lambda:us-east-1:123456789012:function:ebb-dev-validate-deploy-input");
    expect(rendered).toContain("arn:aws:states:us-east-1:123456789012:stateMachine:ebb-dev-deploy-batch");
  });

  it("gives each state machine only what its own definition uses", () => {
    const [batch, rolling] = plan.stateMachines;
    expect(batch?.statements.flatMap((statement) => statement.actions)).toEqual(["lambda:InvokeFunction"]);
    const rollingResources = rolling?.statements.flatMap((statement) => statement.resources) ?? [];
    expect(rollingResources).toContain("arn:aws:states:us-east-1:123456789012:stateMachine:ebb-dev-deploy-batch");
    expect(rollingResources).toContain("arn:aws:events:us-east-1:123456789012:rule/StepFunctionsGetEventsForStepFunctionsExecutionRule");
    expect(rollingResources).not.toContain("arn:aws:lambda:us-east-1:123456789012:function:ebb-dev-check-batch-drain");
    expect(rollingResources).not.toContain("arn:aws:lambda:us-east-1:123456789012:function:ebb-dev-settle-stopped-deploy");
  });

  it("deploys one function per handler with the stage config the runtime accepts", () => {
    expect(plan.functions.map((fn) => [fn.resourceName, fn.handler])).toEqual([
      ["ebb-dev-check-batch-drain", "functions/check-batch-drain.handler"],
      ["ebb-dev-settle-stopped-deploy", "functions/settle-stopped-deploy.handler"],
      ["ebb-dev-validate-deploy-input", "functions/validate-deploy-input.handler"],
    ]);
    const config = stageConfigSchema.parse(JSON.parse(plan.environment["EBB_STAGE_CONFIG"] ?? ""));
    expect(config.tables).toEqual({ locks: "ebb-dev-locks", deploys: "ebb-dev-deploys", idempotency: "ebb-dev-idempotency" });
    expect(plan.tables.map((table) => [table.name, table.hashKey, table.ttlAttribute])).toEqual([
      ["ebb-dev-locks", "lockId", "expiresAt"],
      ["ebb-dev-deploys", "deployId", undefined],
      ["ebb-dev-idempotency", "id", "expiration"],
    ]);
  });

  it("wires event rules only to handlers that exist, stopped deploys to the deployed rolling-deploy", () => {
    expect(plan.rules.map((rule) => [rule.resourceName, rule.targetFunction])).toEqual([["ebb-dev-stopped-deploy", "settle-stopped-deploy"]]);
    expect(plan.rules[0]?.pattern).toMatchObject({ detail: { stateMachineArn: [plan.root.arn] } });
    const withoutHandler = planStage(settings, sources(Object.fromEntries(demo.workflows), ["check-batch-drain", "validate-deploy-input"]));
    expect(withoutHandler.rules).toEqual([]);
  });

  it("schedules the reconciler every minute and lets the ASG's service-linked role invoke the 2-second termination policy", () => {
    // Auto Scaling user guide, "Create a custom termination policy with Lambda": the resource-based
    // policy names the service-linked role; the function's maximum run time is two seconds.
    const withBoth = planStage(settings, sources(Object.fromEntries(demo.workflows), [...demo.functions, "reconcile", "termination-policy"]));
    expect(withBoth.schedules.map((schedule) => [schedule.resourceName, schedule.scheduleExpression, schedule.targetFunction])).toEqual([
      ["ebb-dev-reconcile", "rate(1 minute)", "reconcile"],
    ]);
    const policy = withBoth.functions.find((fn) => fn.name === "termination-policy");
    expect(policy?.timeoutSeconds).toBe(2);
    expect(policy?.invokedBy).toBe(`arn:aws:iam::${settings.account}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`);
    expect(withBoth.functions.find((fn) => fn.name === "reconcile")?.invokedBy).toBeUndefined();
    expect(planStage(settings, demo).schedules).toEqual([]);
    assertPlanLeastPrivilege(withBoth);
  });

  it("passes the target groups Ebb registers in to the functions when it owns registration", () => {
    const granted = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/ebb-app-tg/0123456789abcdef";
    const raw = { ...settingsFile, targetRegistration: "ebb", targetGroupArns: [granted] };
    const owned = planStage(parseStageSettings("dev", raw), sources(Object.fromEntries(demo.workflows), [...demo.functions, "check-batch-health"]));
    const config = stageConfigSchema.parse(JSON.parse(owned.environment["EBB_STAGE_CONFIG"] ?? ""));
    expect(config).toMatchObject({ targetRegistration: "ebb", targetGroupArns: [granted] });
    // The handler that registers new instances may register in exactly those target groups.
    const registering = owned.functions.find((fn) => fn.name === "check-batch-health")?.permissions ?? [];
    const registrable = registering.filter((statement) => statement.actions.includes("elasticloadbalancing:RegisterTargets")).flatMap((statement) => statement.resources);
    expect(registrable.some((resource) => resource === granted || (resource.endsWith("/*") && granted.startsWith(resource.slice(0, -1))))).toBe(true);
  });

  it("grants no mutating action on * and never a read-only function any write", () => {
    assertPlanLeastPrivilege(plan);
    const validate = plan.functions.find((fn) => fn.name === "validate-deploy-input");
    expect(validate?.permissions.flatMap((statement) => statement.actions).every(isReadAction)).toBe(true);
    const wildcardWrites = plan.functions
      .flatMap((fn) => fn.permissions)
      .filter((statement) => statement.resources.some(isWildcardResource) && statement.conditions === undefined)
      .flatMap((statement) => statement.actions)
      .filter((action) => !isReadAction(action));
    expect(wildcardWrites).toEqual([]);
  });

  it("outputs the rolling-deploy ARN and its console URL", () => {
    expect(plan.root.arn).toBe("arn:aws:states:us-east-1:123456789012:stateMachine:ebb-dev-rolling-deploy");
    expect(plan.root.consoleUrl).toBe(
      "https://us-east-1.console.aws.amazon.com/states/home?region=us-east-1#/statemachines/view/arn%3Aaws%3Astates%3Aus-east-1%3A123456789012%3AstateMachine%3Aebb-dev-rolling-deploy",
    );
  });

  it("adds log delivery to the roles only when the stage opts in", () => {
    const logging: StageSettings = { ...settings, workflowLogging: "ERROR" };
    const logged = planStage(logging, demo);
    expect(logged.stateMachines[0]?.statements.at(-1)?.actions).toEqual([...LOG_DELIVERY_ACTIONS]);
    assertPlanLeastPrivilege(logged);
  });
});

describe("planStage refuses a project that breaks the conventions", () => {
  it("names the missing handler or child workflow of every unresolved placeholder", () => {
    const broken = sources({
      "rolling-deploy": { StartAt: "A", States: { A: task("${VerifyHealthFunctionArn}", "B"), B: startChild("CanaryStateMachineArn") } },
    });
    expect(() => planStage(settings, broken)).toThrow(ConventionError);
    expect(() => planStage(settings, broken)).toThrow(/VerifyHealthFunctionArn}, expecting functions\/verify-health\.ts/);
    expect(() => planStage(settings, broken)).toThrow(/CanaryStateMachineArn}, expecting workflows\/canary\.asl\.json/);
  });

  it("refuses workflows that start each other", () => {
    const cycle = sources({ "rolling-deploy": startChild("DeployBatchStateMachineArn"), "deploy-batch": startChild("RollingDeployStateMachineArn") });
    expect(() => planStage(settings, cycle)).toThrow(/cycle: deploy-batch → rolling-deploy → deploy-batch/);
  });

  it("refuses a handler without a permissions entry, and a project without the rolling-deploy workflow", () => {
    const onlyTask = { StartAt: "Check", States: { Check: task("${CheckBatchDrainFunctionArn}") } };
    expect(() => planStage(settings, sources({ "rolling-deploy": onlyTask }, ["check-batch-drain", "mystery"]))).toThrow(
      /functions\/mystery\.ts: add them to FUNCTION_PERMISSIONS/,
    );
    expect(() => planStage(settings, sources({ "deploy-batch": onlyTask }))).toThrow(/rolling-deploy\.asl\.json is missing/);
  });

  it("refuses a stage config that does not fit in the Lambda environment", async () => {
    const autoScalingGroups = Array.from({ length: 200 }, (_, index) => `ebb-demo-asg-number-${index}`);
    const huge = parseStageSettings("dev", { ...settingsFile, autoScalingGroups });
    expect(() => planStage(huge, demo)).toThrow(/Lambda allows 4096/);
  });
});

describe("readProjectSources", () => {
  it("finds handlers and workflows by their conventions", async () => {
    const dir = await mkdtemp(join(tmpdir(), "ebb-project-"));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    await mkdir(join(dir, "functions"));
    await mkdir(join(dir, "workflows"));
    await writeFile(join(dir, "functions", "check-drain.ts"), "export const handler = () => 1;");
    await writeFile(join(dir, "workflows", "rolling-deploy.asl.json"), JSON.stringify({ StartAt: "A", States: {} }));
    await writeFile(join(dir, "workflows", "rolling-deploy.input.ts"), "export {};");
    const found = await readProjectSources(dir);
    expect(found.functions).toEqual(["check-drain"]);
    expect([...found.workflows.keys()]).toEqual(["rolling-deploy"]);
    await writeFile(join(dir, "functions", "checkDrain.ts"), "");
    await expect(readProjectSources(dir)).rejects.toThrow(/kebab-case.*checkDrain/);
  });
});
