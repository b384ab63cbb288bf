import { AutoScalingClient, UpdateAutoScalingGroupCommand } from "@aws-sdk/client-auto-scaling";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { functionArn } from "../../infra/arns.ts";
import { configureRuntime, resetRuntime } from "../../core/runtime.ts";
import type { StageConfig } from "../../core/stage.ts";
import { FUNCTION_MEMORY_MB, FUNCTION_TIMEOUT_SECONDS, ROOT_WORKFLOW } from "../../infra/plan.ts";
import { runSchema, type ScenarioConfig } from "../config/schema.ts";
import { inProcessClientConfig } from "../aws-clients.ts";
import { operatorClientConfig } from "../operator.ts";
import { startDynamoDb } from "../../emulator/dynamodb/dynalite.ts";
import { DUPLICATE_LAG_MS } from "../../emulator/events/bus.ts";
import { stepFunctionsOf } from "../../emulator/stepfunctions/registry.ts";
import type { LambdaFunctionSettings, LocalStepFunctions, TaskHandlers } from "../../emulator/stepfunctions/index.ts";
import type { StepFunctionsEventListener, VirtualClockLike } from "../../emulator/stepfunctions/types.ts";
import { ScenarioConfigError } from "../errors.ts";
import type { AdvanceTo } from "../quiescence.ts";
import type { World } from "../world.ts";
import { subscribeEventRules } from "./rules.ts";
import { localLambda } from "./lambda.ts";
import { withOutages } from "./outage.ts";
import { withMetering } from "./metering.ts";
import { startSchedules, type LocalSchedules, type ScheduledRun } from "./schedules.ts";
import { createLocalTables } from "./tables.ts";
import { loadFunctionHandlers, loadWorkflows } from "./project.ts";
import { simulationStage } from "./stage.ts";
import { createRemediationAlarms, withRemediation } from "./remediation.ts";

export interface LocalEbbOptions {
  /**
   * Also create the remediation alarms on the fleet's target groups (as a deployment of the stage
   * does): off for deploy scenarios, whose own alarms are the team's.
   */
  remediation?: boolean;
  onEvent?: StepFunctionsEventListener;
  /** What executions sleep on (server mode's paced clock); by default they jump to each wake-up. */
  clock?: VirtualClockLike;
  /** Step Functions' history quota per execution (25,000 on AWS); lower it to make an execution fail with States.Runtime. */
  historyEventLimit?: number;
}

/** Ebb installed in an emulated account: its state machines run on the World's Step Functions. */
export interface LocalEbb {
  readonly stage: StageConfig;
  readonly stepFunctions: LocalStepFunctions;
  /** The rolling-deploy state machine, as StartExecution names it. */
  readonly stateMachineArn: string;
  /** Every state machine of workflows/ by workflow name (drain, remediate...). */
  readonly stateMachineArns: Readonly<Record<string, string>>;
  /** Every run of a scheduled function (the reconciler), with what it returned or threw. */
  readonly scheduledRuns: readonly ScheduledRun[];
  /** Where the tables live (dynalite's own socket). */
  readonly dynamoDbEndpoint: string;
  /** The EventBridge rules subscribed on the World's bus, as infra/ names them. */
  readonly ruleNames: readonly string[];
  /**
   * Lets the bus deliver what has been published (after the configured delay and any duplicate)
   * and waits for the rules' handlers: a stopped deploy is settled once this resolves.
   */
  deliverEvents(): Promise<void>;
  /**
   * Moves virtual time on the executions' timeline, as a sleeper among them: running workflows'
   * Waits wake on time and their Tasks finish before time moves on (how a strategy lets the world
   * settle while Ebb's workflows still run).
   */
  readonly advanceTo: AdvanceTo;
  /** Unsubscribes the rules, stops DynamoDB and forgets the handlers' runtime. */
  stop(): Promise<void>;
}

/** functions/termination-policy.ts: Auto Scaling's custom termination policy. */
const TERMINATION_POLICY_FUNCTION = "termination-policy";

/** A scenario that runs no deploy of its own (idle, served) still gets the schema's Task latency. */
/** Virtual time each Lambda task takes: the run's own, or the rolling deploy's default for runs without one. */
export function taskLatencyMsOf(run: ScenarioConfig["run"]): number {
  if (run.kind === "rolling-deploy") return run.taskLatencyMs;
  const defaults = runSchema.parse({ kind: "rolling-deploy" });
  return defaults.kind === "rolling-deploy" ? defaults.taskLatencyMs : 0;
}

/** Every function as infra deploys it (one timeout and memory size for all). */
function functionSettings(handlers: TaskHandlers): Record<string, LambdaFunctionSettings> {
  return Object.fromEntries(Object.keys(handlers).map((name) => [name, { timeoutSeconds: FUNCTION_TIMEOUT_SECONDS, memoryMB: FUNCTION_MEMORY_MB }]));
}

/** A Lambda fault must name a function Ebb deploys. */
function checkLambdaFaults(world: World, handlers: TaskHandlers): void {
  const problems = world.config.faults.lambda.flatMap((fault, index) =>
    Object.hasOwn(handlers, fault.function)
      ? []
      : [`faults.lambda[${index}].function: no function "${fault.function}" in functions/ (known: ${Object.keys(handlers).join(", ")})`]);
  if (problems.length > 0) throw new ScenarioConfigError("invalid config", problems);
}

/** What the operator does once Ebb is deployed: `aws autoscaling update-auto-scaling-group --termination-policies <arn> Default`. */
async function useEbbTerminationPolicy(world: World): Promise<void> {
  const location = { region: world.config.region, account: world.config.accountId };
  await new AutoScalingClient(operatorClientConfig(world)).send(
    new UpdateAutoScalingGroupCommand({
      AutoScalingGroupName: world.config.fleet.autoScalingGroupName,
      TerminationPolicies: [functionArn(location, TERMINATION_POLICY_FUNCTION), "Default"],
    }),
  );
}

/** Time for the world with Ebb's executions on it: a sleeper on their timeline (the physics move when they all wait). */
function timelineAdvance(stepFunctions: LocalStepFunctions): AdvanceTo {
  const { timeline } = stepFunctions;
  return async (targetMs) => {
    const sleeper = timeline.join();
    try {
      await timeline.sleepUntil(sleeper, targetMs);
    } finally {
      timeline.leave(sleeper);
    }
  };
}

async function deliverEvents(world: World, advanceTo: AdvanceTo): Promise<void> {
  const { delaySeconds, jitterSeconds } = world.config.faults.events;
  const lastDueSeconds = delaySeconds + jitterSeconds + DUPLICATE_LAG_MS / 1000;
  // Deliveries happen in the bus's step, so at least one step runs even when nothing is delayed.
  for (let waited = 0; waited === 0 || (world.events.queuedCount > 0 && waited <= lastDueSeconds); waited += 1) {
    await advanceTo(world.clock.nowMs + 1000);
    await world.events.flush();
  }
}

/**
 * Installs Ebb as `sst deploy` would, into the World: its tables (in dynalite), its handlers from
 * functions/ wired to the emulated account and the virtual clock, the workflows of workflows/
 * registered on the World's Step Functions, and its EventBridge rules on the World's bus. One
 * installation per process: the handlers' runtime is process-wide, as it is in a Lambda sandbox.
 */
export async function installLocalEbb(world: World, options: LocalEbbOptions = {}): Promise<LocalEbb> {
  const dynamo = await startDynamoDb();
  const ruleNames: string[] = [];
  let schedules: LocalSchedules | undefined;
  let installed: LocalStepFunctions | undefined;
  const stop = async (): Promise<void> => {
    schedules?.stop();
    // A hook workflow still in a Wait would wake later and write to tables that are gone: the stack is torn down under it.
    const running = (installed?.executions() ?? []).filter((execution) => execution.summary().status === "RUNNING");
    for (const execution of running) execution.stop("States.Aborted", "the local Ebb installation was stopped");
    await Promise.allSettled(running.map((execution) => execution.done));
    for (const ruleName of ruleNames) world.events.unsubscribe(ruleName);
    world.autoscaling.terminationPolicies.connect(undefined);
    resetRuntime();
    await dynamo.stop();
  };
  try {
    const { runtime: configured, alarmNamePrefix } = await simulationStage(world);
    const stage = withRemediation(world, configured);
    // DynamoDB is reached over dynalite's socket, not the in-process handler.
    const dynamoConfig = { ...inProcessClientConfig(world), requestHandler: undefined, endpoint: dynamo.endpoint };
    await createLocalTables(new DynamoDBClient(dynamoConfig), stage.tables);
    // Handlers run in this process: EMF lines would interleave with the report on stdout.
    process.env.POWERTOOLS_METRICS_DISABLED ??= "true";
    configureRuntime({
      clientConfig: inProcessClientConfig(world),
      dynamoDbClientConfig: dynamoConfig,
      clock: { now: () => world.clock.now() },
      stage,
      logLevel: "SILENT",
    });
    const handlers = withMetering(world, withOutages(world, await loadFunctionHandlers()));
    checkLambdaFaults(world, handlers);
    const functions = functionSettings(handlers);
    world.autoscaling.terminationPolicies.connect(localLambda(world, handlers, functions));
    if (world.config.fleet.terminationPolicy === "ebb") await useEbbTerminationPolicy(world);
    const stepFunctions = stepFunctionsOf(world, {
      handlers,
      functions,
      lambdaFault: (functionName) => world.faults.lambdaFault(functionName),
      taskLatencyMs: taskLatencyMsOf(world.config.run),
      ...(options.onEvent === undefined ? {} : { onEvent: options.onEvent }),
      ...(options.clock === undefined ? {} : { clock: options.clock }),
      ...(options.historyEventLimit === undefined ? {} : { historyEventLimit: options.historyEventLimit }),
    });
    installed = stepFunctions;
    const workflows = await loadWorkflows(stepFunctions.scope);
    for (const [name, definition] of workflows) stepFunctions.register({ name, definition });
    const stateMachineArns = Object.fromEntries([...workflows.keys()].map((name) => [name, stepFunctions.stateMachine(name)?.arn ?? ""]));
    const topLevel = stepFunctions.stateMachine(ROOT_WORKFLOW);
    if (topLevel === undefined) throw new Error(`workflows/ has no ${ROOT_WORKFLOW}.asl.json`);
    const ruleScope = { autoScalingGroups: stage.autoScalingGroups, alarmNamePrefix, rollingDeployArn: topLevel.arn };
    ruleNames.push(...subscribeEventRules(world, stage.stage, ruleScope, handlers, functions));
    schedules = startSchedules(world, handlers, functions);
    if (options.remediation === true) await createRemediationAlarms(world, alarmNamePrefix, stage);
    const advanceTo = timelineAdvance(stepFunctions);
    return {
      stage,
      stepFunctions,
      stateMachineArn: topLevel.arn,
      stateMachineArns,
      dynamoDbEndpoint: dynamo.endpoint,
      ruleNames,
      scheduledRuns: schedules.runs,
      deliverEvents: () => deliverEvents(world, advanceTo),
      advanceTo,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
