import type { Context } from "aws-lambda";

export type { JsonValue } from "../../infra/asl.ts";

/** A raw Amazon States Language document (JSONPath); checked by `prepareDefinition` before it runs. */
export type AslDefinition = Readonly<Record<string, unknown>>;

/** What a Task's handler receives as its second argument: a complete Lambda context. */
export type LambdaLikeContext = Context;

/**
 * A Lambda handler as the runner calls it. Declared through a method so that handlers typed with
 * their own event type (middy, aws-lambda `Handler<E, R>`) are assignable (method bivariance).
 */
export type TaskHandler = {
  handle(event: unknown, context: LambdaLikeContext): Promise<unknown>;
}["handle"];

/**
 * Handlers keyed by function name. A Task's key is looked up in this order: the Resource string
 * as written, the name inside a `${Placeholder}`, the function name of a Lambda ARN
 * (`arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]`); for
 * `arn:aws:states:::lambda:invoke` the same keys are derived from `Parameters.FunctionName`.
 */
export type TaskHandlers = Readonly<Record<string, TaskHandler>>;

/** The virtual clock the runner moves. `advance` may be async (e.g. to flush the event bus). */
export interface VirtualClockLike {
  readonly nowMs: number;
  advance(seconds: number): Promise<void> | void;
}

export type StateType = "Task" | "Pass" | "Wait" | "Choice" | "Succeed" | "Fail" | "Map" | "Parallel";

export type ExecutionStatus = "RUNNING" | "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "ABORTED";

export type StateEventPhase = "entered" | "exited" | "failed" | "caught" | "retried";

/** Streamed to `onEvent` as executions run (live progress, batch phases). Times are virtual. */
export type StepFunctionsEvent =
  | {
      readonly kind: "state";
      readonly executionArn: string;
      readonly stateName: string;
      readonly stateType: StateType;
      readonly phase: StateEventPhase;
      readonly timeMs: number;
      readonly input: unknown;
      readonly output?: unknown;
      readonly error?: string;
      readonly cause?: string;
    }
  | {
      readonly kind: "execution";
      readonly executionArn: string;
      readonly stateMachineName: string;
      readonly parentArn: string | undefined;
      readonly status: ExecutionStatus;
      readonly timeMs: number;
      readonly output?: unknown;
      readonly error?: string;
      readonly cause?: string;
    };

export type StepFunctionsEventListener = (event: StepFunctionsEvent) => void;

/** One execution's outcome and the cost AWS would bill and log for it. */
export interface ExecutionSummary {
  readonly executionArn: string;
  readonly name: string;
  readonly stateMachineName: string;
  readonly stateMachineArn: string;
  readonly parentArn: string | undefined;
  readonly status: ExecutionStatus;
  readonly input: unknown;
  readonly output: unknown;
  readonly error: string | undefined;
  readonly cause: string | undefined;
  /** Billed transitions: one per state entered plus one per retry. */
  readonly stateTransitions: number;
  /** History events as a Standard workflow writes them (see history.ts). */
  readonly historyEvents: number;
  /** The history event types in order (for tests and debugging). */
  readonly historyEventTypes: readonly string[];
  readonly startMs: number;
  readonly stopMs: number | undefined;
}

export interface RunResult {
  readonly status: Exclude<ExecutionStatus, "RUNNING">;
  readonly output: unknown;
  readonly error: string | undefined;
  readonly cause: string | undefined;
  /** The execution itself first, then every child it started (recursively), in start order. */
  readonly executions: readonly ExecutionSummary[];
}
