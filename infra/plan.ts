import { DRAIN_DOCUMENT } from "../core/drain/signal.ts";
import { OUTAGE_METRIC } from "../core/remediation/outage.ts";
import { tableKeySchemas, type TableKeySchema } from "../core/tables.ts";
import {
  functionNameForPlaceholder,
  placeholderSubstitutions,
  placeholdersOf,
  renderWorkflow,
  stateMachineNameForPlaceholder,
  type JsonValue,
} from "./asl.ts";
import {
  autoScalingGroupArn,
  eventBusArn,
  eventRuleArn,
  executionsArn,
  functionArn,
  instancesArn,
  launchTemplateArn,
  resourceName,
  ssmDocumentArn,
  stateMachineArn,
  stateMachineConsoleUrl,
  tableArn,
  targetGroupArn,
} from "./arns.ts";
import { ConventionError } from "./errors.ts";
import { deployedEventRules, type EventPattern } from "./events.ts";
import { FUNCTION_PERMISSIONS } from "./function-permissions.ts";
import { deployedSchedules, rateExpression } from "./schedules.ts";
import {
  LOG_DELIVERY_ACTIONS,
  SYNC_EXECUTION_RULE,
  assertLeastPrivilege,
  functionStatements,
  stateMachineStatements,
  type FleetScope,
  type PolicyStatement,
} from "./iam.ts";
import type { ProjectSources } from "./project.ts";
import { connectionTrackingPolicy, skewAlarm, type SkewAlarmDefinition, type TargetTrackingPolicyDefinition } from "./scaling.ts";
import type { StageSettings, StageTables } from "./stage-config.ts";

/**
 * Everything one stage deploys, computed without AWS: names and ARNs are deterministic
 * (`ebb-<stage>-<name>` in the configured account and region), so the ASL can be rendered and
 * every IAM statement checked before anything is created.
 */

/** The workflow a deploy starts; the others are its children. */
export const ROOT_WORKFLOW = "rolling-deploy";
/** The workflow the alarm handler starts, one execution per alarm episode. */
export const REMEDIATION_WORKFLOW = "remediate";

const remediationStateMachineArnOf = (settings: StageSettings): string =>
  stateMachineArn(settings, resourceName(settings.stage, REMEDIATION_WORKFLOW, "stateMachine"));
/** The lifecycle hook workflows the lifecycle-event handler starts (named next to it, see functions/lib/idempotent-event.ts). */
export const HOOK_WORKFLOWS = ["launch-hook", "terminate-hook"] as const;
/**
 * Every function's timeout and memory as deployed. The timeout sits below the Tasks'
 * TimeoutSeconds (120), so a stuck handler surfaces as Lambda.Unknown first.
 */
export const FUNCTION_TIMEOUT_SECONDS = 60;
export const FUNCTION_MEMORY_MB = 512;
/**
 * Functions that must answer sooner than the rest. Auto Scaling gives a termination policy "two
 * seconds (2000 milliseconds)" and advises setting the timeout to the expected run time (Auto
 * Scaling user guide, "Create a custom termination policy with Lambda", Limitations).
 */
const FUNCTION_TIMEOUTS: Readonly<Record<string, number>> = { "termination-policy": 2 };
/** Functions another AWS service invokes directly, by the principal that does (a resource-based policy each). */
const serviceInvokers = (settings: StageSettings): Readonly<Record<string, string>> => ({
  "termination-policy": `arn:aws:iam::${settings.account}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`,
});
/** Lambda caps all environment variables of a function together at 4 KB. */
const ENVIRONMENT_LIMIT_BYTES = 4096;

export interface TablePlan extends TableKeySchema {
  readonly key: keyof StageTables;
  readonly name: string;
}

export interface FunctionPlan {
  readonly name: string;
  readonly resourceName: string;
  readonly arn: string;
  readonly handler: string;
  readonly timeoutSeconds: number;
  readonly memoryMB: number;
  readonly permissions: readonly PolicyStatement[];
  /** A service principal granted lambda:InvokeFunction on it (the ASG's service-linked role for the termination policy). */
  readonly invokedBy: string | undefined;
}

export interface SchedulePlan {
  readonly id: string;
  readonly resourceName: string;
  readonly description: string;
  /** EventBridge Scheduler's expression, e.g. "rate(1 minute)". */
  readonly scheduleExpression: string;
  readonly targetFunction: string;
}

export interface StateMachinePlan {
  readonly name: string;
  readonly resourceName: string;
  readonly arn: string;
  readonly roleName: string;
  readonly definition: JsonValue;
  readonly statements: readonly PolicyStatement[];
  /** Child workflows this one starts; they are created first. */
  readonly children: readonly string[];
}

export interface EventRulePlan {
  readonly id: string;
  readonly resourceName: string;
  readonly description: string;
  readonly pattern: EventPattern;
  readonly targetFunction: string;
}

/** Connection-aware scaling, per group: its target tracking policy and skew alarm (the publisher is a schedule). */
export interface ScalingPlan {
  readonly policies: readonly TargetTrackingPolicyDefinition[];
  readonly skewAlarms: readonly SkewAlarmDefinition[];
}

/** The function the schedule invokes (functions/publish-fleet-metrics.ts). */
export const FLEET_METRICS_PUBLISHER = "publish-fleet-metrics";

export interface StagePlan {
  readonly settings: StageSettings;
  readonly environment: Readonly<Record<string, string>>;
  readonly tables: readonly TablePlan[];
  readonly functions: readonly FunctionPlan[];
  /** Children before parents. */
  readonly stateMachines: readonly StateMachinePlan[];
  readonly rules: readonly EventRulePlan[];
  /** Absent when functions/ has no publisher (nothing would feed the policy's metric). */
  readonly scaling: ScalingPlan | undefined;
  readonly schedules: readonly SchedulePlan[];
  readonly root: { readonly arn: string; readonly consoleUrl: string };
}

function fleetScope(settings: StageSettings): FleetScope {
  const groups = settings.runtime.autoScalingGroups;
  return {
    autoScalingGroupNames: groups,
    autoScalingGroupArns: groups.map((group) => autoScalingGroupArn(settings, group)),
    launchTemplateArns: settings.launchTemplates.map((template) => launchTemplateArn(settings, template)),
    instanceRoleArns: settings.instanceRoles,
    targetGroupArns: settings.targetGroups.map((group) => targetGroupArn(settings, group)),
    drainDocumentArn: ssmDocumentArn(settings, DRAIN_DOCUMENT),
    instancesArn: instancesArn(settings),
    lockTableArn: tableArn(settings, settings.runtime.tables.locks),
    deployTableArn: tableArn(settings, settings.runtime.tables.deploys),
    deployExecutionsArn: executionsArn(settings, resourceName(settings.stage, ROOT_WORKFLOW, "stateMachine")),
    remediationStateMachineArn: remediationStateMachineArnOf(settings),
    metricNamespace: OUTAGE_METRIC.namespace,
    hookWorkflowArns: HOOK_WORKFLOWS.map((workflow) => stateMachineArn(settings, resourceName(settings.stage, workflow, "stateMachine"))),
    hookExecutionsArns: HOOK_WORKFLOWS.map((workflow) => executionsArn(settings, resourceName(settings.stage, workflow, "stateMachine"))),
    idempotencyTableArn: tableArn(settings, settings.runtime.tables.idempotency),
    eventBusArn: eventBusArn(settings, settings.runtime.eventBusName),
  };
}

function planFunctions(settings: StageSettings, names: readonly string[]): FunctionPlan[] {
  const unlisted = names.filter((name) => !Object.hasOwn(FUNCTION_PERMISSIONS, name));
  if (unlisted.length > 0) {
    throw new ConventionError(
      `No IAM permission groups for ${unlisted.map((name) => `functions/${name}.ts`).join(", ")}: add them to FUNCTION_PERMISSIONS in infra/function-permissions.ts`,
    );
  }
  const scope = fleetScope(settings);
  return names.map((name) => {
    const lambdaName = resourceName(settings.stage, name, "lambda");
    return {
      name,
      resourceName: lambdaName,
      arn: functionArn(settings, lambdaName),
      handler: `functions/${name}.handler`,
      timeoutSeconds: FUNCTION_TIMEOUTS[name] ?? FUNCTION_TIMEOUT_SECONDS,
      memoryMB: FUNCTION_MEMORY_MB,
      permissions: functionStatements(FUNCTION_PERMISSIONS[name] ?? [], scope),
      invokedBy: serviceInvokers(settings)[name],
    };
  });
}

/** Depth-first, children first; a workflow that (indirectly) starts itself is an error. */
function childrenFirst(children: ReadonlyMap<string, readonly string[]>): string[] {
  const order: string[] = [];
  const visiting: string[] = [];
  const visit = (name: string): void => {
    if (order.includes(name)) return;
    if (visiting.includes(name)) throw new ConventionError(`Workflows start each other in a cycle: ${[...visiting, name].join(" → ")}`);
    visiting.push(name);
    for (const child of children.get(name) ?? []) visit(child);
    visiting.pop();
    order.push(name);
  };
  for (const name of [...children.keys()].sort()) visit(name);
  return order;
}

function planStateMachines(settings: StageSettings, sources: ProjectSources, functions: readonly FunctionPlan[]): StateMachinePlan[] {
  const machineName = (workflow: string): string => resourceName(settings.stage, workflow, "stateMachine");
  const substitutions = placeholderSubstitutions(
    functions.map((fn) => [fn.name, fn.arn] as const),
    [...sources.workflows.keys()].map((workflow) => [workflow, stateMachineArn(settings, machineName(workflow))] as const),
  );
  const children = new Map<string, string[]>();
  const problems: string[] = [];
  for (const [workflow, definition] of sources.workflows) {
    const used = placeholdersOf(definition);
    children.set(workflow, used.flatMap((placeholder) => stateMachineNameForPlaceholder(placeholder) ?? []));
    for (const placeholder of used.filter((name) => !Object.hasOwn(substitutions, name))) {
      const fn = functionNameForPlaceholder(placeholder);
      const child = stateMachineNameForPlaceholder(placeholder);
      const expected = fn !== undefined ? `functions/${fn}.ts` : child !== undefined ? `workflows/${child}.asl.json` : "a FunctionArn or StateMachineArn placeholder";
      problems.push(`workflows/${workflow}.asl.json uses \${${placeholder}}, expecting ${expected}`);
    }
  }
  if (problems.length > 0) throw new ConventionError(problems.join("\n"));

  const logDelivery = settings.workflowLogging !== "OFF";
  return childrenFirst(children).map((workflow) => {
    const definition = sources.workflows.get(workflow) as JsonValue;
    const used = placeholdersOf(definition);
    const childNames = children.get(workflow) ?? [];
    const statements = stateMachineStatements({
      functionArns: used.flatMap((placeholder) => {
        const fn = functionNameForPlaceholder(placeholder);
        return fn === undefined ? [] : [substitutions[placeholder] as string];
      }),
      childStateMachineArns: childNames.map((child) => stateMachineArn(settings, machineName(child))),
      childExecutionArns: childNames.map((child) => executionsArn(settings, machineName(child))),
      syncRuleArn: eventRuleArn(settings, SYNC_EXECUTION_RULE),
      logDelivery,
    });
    assertLeastPrivilege(statements, { acceptedUnscopedWrites: logDelivery ? LOG_DELIVERY_ACTIONS : [] });
    return {
      name: workflow,
      resourceName: machineName(workflow),
      arn: stateMachineArn(settings, machineName(workflow)),
      roleName: resourceName(settings.stage, `${workflow}-sfn`, "role"),
      definition: renderWorkflow(definition, substitutions, `workflows/${workflow}.asl.json`),
      statements,
      children: childNames,
    };
  });
}

/** The full deployment of a stage; throws on any broken convention or over-broad permission. */
export function planStage(settings: StageSettings, sources: ProjectSources): StagePlan {
  // The alarm handler starts the remediation workflow by ARN, known before anything exists.
  const runtimeConfig = sources.workflows.has(REMEDIATION_WORKFLOW)
    ? { ...settings.runtime, remediationStateMachineArn: remediationStateMachineArnOf(settings) }
    : settings.runtime;
  const stageConfig = JSON.stringify(runtimeConfig);
  const environment = { EBB_STAGE_CONFIG: stageConfig, POWERTOOLS_SERVICE_NAME: "ebb" };
  const environmentBytes = Object.entries(environment).reduce((sum, [key, value]) => sum + Buffer.byteLength(key + value), 0);
  if (environmentBytes > ENVIRONMENT_LIMIT_BYTES) {
    throw new ConventionError(`EBB_STAGE_CONFIG makes the Lambda environment ${environmentBytes} bytes; Lambda allows ${ENVIRONMENT_LIMIT_BYTES}`);
  }
  const functions = planFunctions(settings, sources.functions);
  for (const fn of functions) assertLeastPrivilege(fn.permissions);
  const stateMachines = planStateMachines(settings, sources, functions);
  const root = stateMachines.find((machine) => machine.name === ROOT_WORKFLOW);
  if (root === undefined) throw new ConventionError(`workflows/${ROOT_WORKFLOW}.asl.json is missing: it is the workflow a deploy starts`);

  const tables = (Object.keys(tableKeySchemas) as (keyof StageTables)[]).map(
    (key): TablePlan => ({ key, name: settings.runtime.tables[key], ...tableKeySchemas[key] }),
  );
  const rules = deployedEventRules({
    autoScalingGroups: settings.runtime.autoScalingGroups,
    alarmNamePrefix: settings.alarmNamePrefix,
    rollingDeployArn: root.arn,
  }, sources.functions)
    .map((rule) => ({
      id: rule.id,
      resourceName: resourceName(settings.stage, rule.id, "rule"),
      description: rule.description,
      pattern: rule.pattern,
      targetFunction: rule.targetFunction,
    }));
  const groups = settings.runtime.autoScalingGroups;
  const scaling: ScalingPlan | undefined = sources.functions.includes(FLEET_METRICS_PUBLISHER)
    ? {
        policies: groups.map((group) => connectionTrackingPolicy(settings.runtime, group)),
        skewAlarms: groups.map((group) => skewAlarm(settings.runtime, group)),
      }
    : undefined;
  const schedules = deployedSchedules(sources.functions).map((schedule) => ({
    id: schedule.id,
    resourceName: resourceName(settings.stage, schedule.id, "rule"),
    description: schedule.description,
    scheduleExpression: rateExpression(schedule.periodSeconds),
    targetFunction: schedule.targetFunction,
  }));
  return {
    settings,
    environment,
    tables,
    functions,
    stateMachines,
    rules,
    scaling,
    schedules,
    root: { arn: root.arn, consoleUrl: stateMachineConsoleUrl(settings, root.arn) },
  };
}
