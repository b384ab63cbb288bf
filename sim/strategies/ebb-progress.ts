import type { StepFunctionsEvent } from "../../emulator/stepfunctions/index.ts";
import type { StrategyContext } from "./types.ts";

/** What a person calls each step of the workflows (the batch phases of the charts). */
const PHASES: Readonly<Record<string, string>> = {
  ValidateDeployInput: "validate input",
  AcquireDeployLock: "lock",
  SnapshotFleet: "snapshot",
  PlanDeploy: "plan",
  SetTargetLaunchTemplate: "set launch template",
  LaunchSurgeCapacity: "launch surge capacity",
  StartBatchDrain: "deregister and drain",
  CheckBatchDrain: "drain",
  TerminateDrainedInstances: "refresh",
  CheckBatchHealth: "verify health",
  CheckBake: "bake",
  CompleteBatch: "batch done",
  BeginRollback: "roll back",
  FinishDeploy: "finish",
};

const ROLLBACK_PREFIX = "rollback: ";

/** A phase of the rollback rather than of the deploy itself. */
export const isRollbackPhase = (phase: string | undefined): boolean => phase?.startsWith(ROLLBACK_PREFIX) === true;

const field = (value: unknown, name: string): unknown =>
  typeof value === "object" && value !== null ? (value as Record<string, unknown>)[name] : undefined;

const numberField = (value: unknown, name: string): number | undefined => {
  const found = field(value, name);
  return typeof found === "number" ? found : undefined;
};

/** PlanDeploy leaves the batch count at $.plan, BeginRollback at $.rollback. */
const batchCountIn = (stateOutput: unknown): number | undefined =>
  numberField(field(stateOutput, "rollback"), "batchCount") ?? numberField(field(stateOutput, "plan"), "batchCount");

/** Turns the workflows' state events into progress lines and batch phase marks. */
export class EbbProgress {
  readonly #context: StrategyContext;
  #batchCount: number | undefined;
  #rollingBack = false;

  constructor(context: StrategyContext) {
    this.#context = context;
  }

  readonly onEvent = (event: StepFunctionsEvent): void => {
    if (process.env["EBB_TRACE"]) console.error("TRACE", ((event.timeMs - this.#context.world.startMs) / 1000).toFixed(0), JSON.stringify(event).slice(0, Number(process.env["EBB_TRACE"])));
    if (event.kind !== "state") return;
    if (event.phase === "exited") {
      this.#batchCount = batchCountIn(event.output) ?? this.#batchCount;
      return;
    }
    if (event.phase !== "entered" || event.stateType !== "Task") return;
    if (event.stateName === "BeginRollback") this.#rollingBack = true;
    const phase = PHASES[event.stateName];
    if (phase === undefined) return;
    const batch = numberField(event.input, "batchIndex");
    this.#context.report(this.#rollingBack && batch !== undefined ? `${ROLLBACK_PREFIX}${phase}` : phase, batch, this.#batchCount);
  };
}
