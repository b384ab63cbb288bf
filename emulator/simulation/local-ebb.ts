import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { configureRuntime, resetRuntime } from "../../core/runtime.ts";
import type { StageConfig } from "../../core/stage.ts";
import { runSchema, type ScenarioConfig } from "../config/schema.ts";
import { inProcessClientConfig } from "../aws-clients.ts";
import { startDynamoDb } from "../dynamodb.ts";
import { stepFunctionsOf } from "../services/stepfunctions/registry.ts";
import type { LocalStepFunctions } from "../stepfunctions/index.ts";
import type { StepFunctionsEventListener, VirtualClockLike } from "../stepfunctions/types.ts";
import type { World } from "../world.ts";
import { createLocalTables } from "./local-tables.ts";
import { loadFunctionHandlers, loadWorkflows, TOP_LEVEL_WORKFLOW } from "./project.ts";
import { simulationStage } from "./stage.ts";

export interface LocalEbbOptions {
  onEvent?: StepFunctionsEventListener;
  /** What executions sleep on (server mode's paced clock); by default they jump to each wake-up. */
  clock?: VirtualClockLike;
}

/** Ebb installed in an emulated account: its state machines run on the World's Step Functions. */
export interface LocalEbb {
  readonly stage: StageConfig;
  readonly stepFunctions: LocalStepFunctions;
  /** The rolling-deploy state machine, as StartExecution names it. */
  readonly stateMachineArn: string;
  /** Stops DynamoDB and forgets the handlers' runtime. */
  stop(): Promise<void>;
}

/** A scenario that runs no deploy of its own (idle, served) still gets the schema's Task latency. */
function taskLatencyMsOf(run: ScenarioConfig["run"]): number {
  if (run.kind === "rolling-deploy") return run.taskLatencyMs;
  const defaults = runSchema.parse({ kind: "rolling-deploy" });
  return defaults.kind === "rolling-deploy" ? defaults.taskLatencyMs : 0;
}

/**
 * Installs Ebb as `sst deploy` would, into the World: its tables (in dynalite), its handlers from
 * functions/ wired to the emulated account and the virtual clock, and the workflows of workflows/
 * registered on the World's Step Functions. One installation per process: the handlers' runtime
 * is process-wide, as it is in a Lambda sandbox.
 */
export async function installLocalEbb(world: World, options: LocalEbbOptions = {}): Promise<LocalEbb> {
  const dynamo = await startDynamoDb();
  const stop = async (): Promise<void> => {
    resetRuntime();
    await dynamo.stop();
  };
  try {
    const stage = await simulationStage(world);
    // DynamoDB is reached over dynalite's socket, not the in-process handler.
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
      taskLatencyMs: taskLatencyMsOf(world.config.run),
      ...(options.onEvent === undefined ? {} : { onEvent: options.onEvent }),
      ...(options.clock === undefined ? {} : { clock: options.clock }),
    });
    const scope = { region: world.config.region, accountId: world.config.accountId };
    for (const [name, definition] of await loadWorkflows(scope)) stepFunctions.register({ name, definition });
    const topLevel = stepFunctions.stateMachine(TOP_LEVEL_WORKFLOW);
    if (topLevel === undefined) throw new Error(`workflows/ has no ${TOP_LEVEL_WORKFLOW}.asl.json`);
    return { stage, stepFunctions, stateMachineArn: topLevel.arn, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
