import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { configureRuntime, resetRuntime } from "../../../core/runtime.ts";
import { inProcessClientConfig } from "../../aws-clients.ts";
import { startDynamoDb } from "../../dynamodb.ts";
import { stepFunctionsOf } from "../../services/stepfunctions/registry.ts";
import type { ExecutionSummary } from "../../stepfunctions/index.ts";
import { createLocalTables } from "../local-tables.ts";
import type { Outcome, RunResult } from "../report.ts";
import { loadFunctionHandlers, loadWorkflows, TOP_LEVEL_WORKFLOW } from "../project.ts";
import { simulationStage } from "../stage.ts";
import { EbbProgress } from "./ebb-progress.ts";
import type { StrategyContext } from "./types.ts";

/**
 * Ebb itself: the real ASL from workflows/ on the local Step Functions runner, each Task running
 * its handler from functions/, the handlers' SDK clients talking to the emulated account.
 */
export async function runEbbDeploy(context: StrategyContext): Promise<RunResult> {
  const { world } = context;
  const run = world.config.run;
  if (run.kind !== "rolling-deploy") throw new Error("the ebb strategy runs rolling deploys");
  const dynamo = await startDynamoDb();
  try {
    const stage = await simulationStage(world);
    const dynamoConfig = { ...inProcessClientConfig(world), requestHandler: undefined, endpoint: dynamo.endpoint };
    await createLocalTables(new DynamoDBClient(dynamoConfig), stage.tables);
    configureRuntime({
      clientConfig: inProcessClientConfig(world),
      dynamoDbClientConfig: dynamoConfig,
      clock: { now: () => world.clock.now() },
      stage,
      logLevel: "SILENT",
    });
    const stepFunctions = stepFunctionsOf(world, {
      handlers: await loadFunctionHandlers(),
      taskLatencyMs: run.taskLatencyMs,
      onEvent: new EbbProgress(context).onEvent,
    });
    const scope = { region: world.config.region, accountId: world.config.accountId };
    for (const [name, definition] of await loadWorkflows(scope)) stepFunctions.register({ name, definition });
    const execution = stepFunctions.start(TOP_LEVEL_WORKFLOW, run.input, { name: "simulated-deploy" });
    const deadlineMs = world.clock.nowMs + run.maxVirtualSeconds * 1000;
    const unsubscribe = stepFunctions.subscribe(() => {
      if (world.clock.nowMs > deadlineMs) execution.stop("Aborted", `still running after ${run.maxVirtualSeconds} virtual seconds`);
    });
    const summary = await execution.done;
    unsubscribe();
    const bakeSeconds = Number(run.input["bakeSeconds"] ?? stage.deployDefaults.bakeSeconds);
    return toRunResult(summary, stepFunctions.executions().map((each) => each.summary()), bakeSeconds);
  } finally {
    resetRuntime();
    await dynamo.stop();
  }
}

function outcomeOf(summary: ExecutionSummary): Outcome {
  if (summary.status === "SUCCEEDED") return "Succeeded";
  if (summary.status === "FAILED" && summary.error === "RolledBack") return "RolledBack";
  if (summary.status === "FAILED") return "Failed";
  return "Aborted";
}

/** A Lambda error's Cause is `{"errorMessage", "errorType"}` JSON: a person wants the message. */
function readableCause(cause: string | undefined): string | undefined {
  if (cause === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(cause);
    if (typeof parsed === "object" && parsed !== null && "errorMessage" in parsed && typeof parsed.errorMessage === "string") {
      return parsed.errorMessage;
    }
  } catch {
    // not JSON: a Fail state's own cause
  }
  return cause;
}

function toRunResult(top: ExecutionSummary, all: ExecutionSummary[], bakeSeconds: number): RunResult {
  const children = all.filter((each) => each.parentArn !== undefined);
  return {
    outcome: outcomeOf(top),
    cause: top.status === "SUCCEEDED" ? undefined : [top.error, readableCause(top.cause)].filter(Boolean).join(": "),
    output: top.output,
    batches: children.length,
    bakeSeconds,
    stepFunctions: {
      executions: all.length,
      stateTransitions: all.reduce((sum, each) => sum + each.stateTransitions, 0),
      maxHistoryEvents: all.reduce((max, each) => Math.max(max, each.historyEvents), 0),
    },
  };
}
