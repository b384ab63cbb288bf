import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { validateDefinition } from "../../emulator/stepfunctions/index.ts";
import type { JsonValue } from "../../infra/asl.ts";
import { FUNCTION_PERMISSIONS } from "../../infra/function-permissions.ts";
import { LOG_DELIVERY_ACTIONS, assertLeastPrivilege, isReadAction } from "../../infra/iam.ts";
import { planStage } from "../../infra/plan.ts";
import { readProjectSources } from "../../infra/project.ts";
import { loadStageSettings } from "../../infra/stage-config.ts";

/** The real functions/, workflows/ and stages/dev.json, planned the way `sst deploy --stage dev` plans them. */
const root = join(import.meta.dirname, "..", "..");
const project = await readProjectSources(root);
const settings = await loadStageSettings(root, "dev");
const plan = planStage(settings, project);

/** The IAM service prefix of each SDK package core/ may send commands with. */
const IAM_PREFIXES: Readonly<Record<string, string>> = {
  "@aws-sdk/client-auto-scaling": "autoscaling",
  "@aws-sdk/client-elastic-load-balancing-v2": "elasticloadbalancing",
  "@aws-sdk/client-cloudwatch": "cloudwatch",
  "@aws-sdk/client-ec2": "ec2",
  "@aws-sdk/client-ssm": "ssm",
  "@aws-sdk/client-sfn": "states",
  "@aws-sdk/client-dynamodb": "dynamodb",
  "@aws-sdk/lib-dynamodb": "dynamodb",
  "@aws-sdk/client-eventbridge": "events",
};
/** lib-dynamodb's document commands are named after the item, not the API action. */
const DOCUMENT_COMMANDS: Readonly<Record<string, string>> = { Get: "GetItem", Put: "PutItem", Update: "UpdateItem", Delete: "DeleteItem" };

async function sourceFiles(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile() && entry.name.endsWith(".ts")).map((entry) => join(entry.parentPath, entry.name));
}

/** core/'s operator tools: run by the `ebb` CLI with the operator's credentials, never deployed in a function. */
const OPERATOR_ONLY = [join(root, "core", "doctor"), join(root, "core", "progress")];

/** Every IAM action the deployed code sends (`new XCommand(` of an SDK import), by the file that sends it. */
async function actionsSent(): Promise<Map<string, string[]>> {
  const sent = new Map<string, string[]>();
  const deployed = (file: string): boolean => !OPERATOR_ONLY.some((folder) => file.startsWith(`${folder}/`));
  const files = [...(await sourceFiles(join(root, "core"))), ...(await sourceFiles(join(root, "functions")))].filter(deployed);
  for (const file of files) {
    const text = await readFile(file, "utf8");
    for (const [, names = "", from = ""] of text.matchAll(/import\s*\{([^}]*)\}\s*from\s*"(@aws-sdk\/[^"]+)"/g)) {
      for (const name of names.split(",").map((part) => part.trim())) {
        // A command sent directly, or through its SDK paginator (which sends the same action).
        const command = /^(\w+)Command$/.exec(name)?.[1] ?? /^paginate(\w+)$/.exec(name)?.[1];
        const used = name.startsWith("paginate") ? new RegExp(`${name}\\(`) : new RegExp(`new ${name}\\(`);
        if (command === undefined || !used.test(text)) continue;
        const prefix = IAM_PREFIXES[from] ?? `unknown package ${from}`;
        const action = `${prefix}:${from === "@aws-sdk/lib-dynamodb" ? (DOCUMENT_COMMANDS[command] ?? command) : command}`;
        sent.set(action, [...(sent.get(action) ?? []), relative(root, file)]);
      }
    }
  }
  return sent;
}

const grantedActions = (name: string): string[] =>
  (plan.functions.find((fn) => fn.name === name)?.permissions ?? []).flatMap((statement) => statement.actions);
const handlersAllowed = (action: string): string[] => plan.functions.filter((fn) => grantedActions(fn.name).includes(action)).map((fn) => fn.name);

describe("this project's functions/ and workflows/", () => {
  it("has a permissions entry for exactly the handlers in functions/", () => {
    expect(project.functions).toHaveLength(34);
    expect(Object.keys(FUNCTION_PERMISSIONS).sort()).toEqual(project.functions);
  });

  it("deploys with least privilege everywhere", () => {
    for (const fn of plan.functions) assertLeastPrivilege(fn.permissions);
    const accepted = settings.workflowLogging === "OFF" ? [] : LOG_DELIVERY_ACTIONS;
    for (const machine of plan.stateMachines) assertLeastPrivilege(machine.statements, { acceptedUnscopedWrites: accepted });
  });

  it("grants every AWS action core/ sends to some handler, and none it never sends", async () => {
    const sent = await actionsSent();
    expect([...sent.keys()].filter((action) => action.startsWith("unknown"))).toEqual([]);
    const granted = new Set(plan.functions.flatMap((fn) => grantedActions(fn.name)));
    expect([...sent.keys()].filter((action) => !granted.has(action))).toEqual([]);
    // ec2:RunInstances / CreateTags and iam:PassRole are what AWS checks for UpdateAutoScalingGroup with a launch template.
    const checkedByAws = new Set(["ec2:RunInstances", "ec2:CreateTags", "iam:PassRole"]);
    expect([...granted].filter((action) => !sent.has(action) && !checkedByAws.has(action))).toEqual([]);
  });

  it("lets only the handlers that need them terminate, drain, deregister or resize", () => {
    // An aborted surge's idle surplus instances are removed by the finishing step.
    // complete-remediation-drain is remediation's after-drain step; finish-remediation removes the surplus of a surge whose drain failed.
    expect(handlersAllowed("autoscaling:TerminateInstanceInAutoScalingGroup")).toEqual(["complete-remediation-drain", "finish-deploy", "finish-instance-drain", "finish-remediation", "settle-stopped-deploy", "terminate-drained-instances"]);
    // check-batch-drain sends a failed drain signal again; the terminate hook, remediation and the reconciler (a termination
    // stuck while still registered) drain through the same pipeline; the steps that put a quarantined host back undrain it.
    expect(handlersAllowed("ssm:SendCommand")).toEqual([
      "assess-remediation", "begin-rollback", "check-batch-drain", "check-instance-drain", "check-remediation-drain", "finish-deploy", "finish-instance-drain", "finish-remediation",
      "reconcile", "settle-stopped-deploy", "start-batch-drain", "start-instance-drain", "start-remediation-drain", "terminate-hook-check", "terminate-hook-start",
    ]);
    expect(handlersAllowed("elasticloadbalancing:DeregisterTargets")).toEqual(["check-instance-drain", "launch-hook-check", "reconcile", "start-batch-drain", "start-instance-drain", "start-remediation-drain", "terminate-hook-check", "terminate-hook-start"]);
    expect(handlersAllowed("autoscaling:CompleteLifecycleAction")).toEqual(["launch-hook-check", "launch-hook-start", "reconcile", "terminate-hook-check", "terminate-hook-start"]);
    // start-remediation-drain launches a host's replacement before its drain (capacity first).
    expect(handlersAllowed("autoscaling:SetDesiredCapacity")).toEqual(["launch-surge-capacity", "start-remediation-drain"]);
    // Only an operator's drain puts an instance in Standby.
    expect(handlersAllowed("autoscaling:EnterStandby")).toEqual(["finish-instance-drain"]);
    expect(handlersAllowed("states:StartExecution")).toEqual(["lifecycle-event", "remediate-alarm"]);
    // Only the polls of the one drain pipeline ask whether a draining host is dead.
    expect(handlersAllowed("ec2:DescribeInstanceStatus")).toEqual(["check-batch-drain", "check-instance-drain", "check-remediation-drain", "reconcile", "terminate-hook-check"]);
    expect(handlersAllowed("ec2:RunInstances")).toEqual(["begin-rollback", "finish-deploy", "set-target-launch-template", "settle-stopped-deploy"]);
    // lifecycle-event: only on the idempotency table (Powertools deletes the record of a failed run); remediation releases its lock.
    expect(handlersAllowed("dynamodb:DeleteItem")).toEqual(["assess-remediation", "finish-deploy", "finish-instance-drain", "finish-remediation", "lifecycle-event", "settle-stopped-deploy"]);
    // Progress events: only the announcing steps, only on the stage's bus (default).
    expect(handlersAllowed("events:PutEvents")).toEqual(["assess-remediation", "begin-rollback", "complete-batch", "finish-deploy", "plan-deploy"]);
    const putEvents = plan.functions.flatMap((fn) => fn.permissions).filter((statement) => statement.actions.includes("events:PutEvents"));
    expect([...new Set(putEvents.flatMap((statement) => statement.resources))]).toEqual([expect.stringMatching(/^arn:aws:events:[a-z0-9-]+:\d{12}:event-bus\/default$/)]);
    expect(grantedActions("validate-deploy-input").every(isReadAction)).toBe(true);
    expect(grantedActions("termination-policy").every(isReadAction)).toBe(true);
  });

  it("renders workflows that are valid ASL with real ARNs and use nothing the local runner lacks", () => {
    expect(plan.stateMachines.map((machine) => machine.name)).toEqual(["deploy-batch", "drain", "launch-hook", "remediate", "rolling-deploy", "terminate-hook"]);
    for (const machine of plan.stateMachines) {
      const definition: JsonValue = machine.definition;
      if (definition === null || typeof definition !== "object" || Array.isArray(definition)) throw new Error(`${machine.name} is not an object`);
      expect(JSON.stringify(definition)).not.toContain("${");
      expect(JSON.stringify(definition)).toContain(`arn:aws:lambda:us-east-1:123456789012:function:ebb-dev-`);
      expect(validateDefinition(definition)).toEqual([]);
    }
  });

  it("wires the stopped-deploy rule to settle-stopped-deploy for the deployed rolling-deploy only", () => {
    const rule = plan.rules.find((candidate) => candidate.id === "stopped-deploy");
    expect(rule?.targetFunction).toBe("settle-stopped-deploy");
    expect(rule?.pattern).toMatchObject({ source: ["aws.states"], detail: { stateMachineArn: [plan.root.arn], status: ["ABORTED", "TIMED_OUT", "FAILED"] } });
    for (const { targetFunction } of plan.rules) expect(project.functions).toContain(targetFunction);
  });
});
