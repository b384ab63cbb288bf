import { jsonFields } from "./asl.ts";
import { ExecutionAlreadyExistsError, StateMachineNotFoundError, TaskFailure, TaskTimeout } from "./errors.ts";
import type { TaskDeadline, TaskRuntime } from "./tasks.ts";
import type { ExecutionSummary, JsonValue } from "./types.ts";

export interface ChildHandle {
  readonly executionArn: string;
  readonly startMs: number;
  readonly done: Promise<ExecutionSummary>;
  stop(error: string, cause: string): void;
}

export interface ChildRequest {
  readonly stateMachine: string;
  readonly input: unknown;
  readonly name: string | undefined;
}

/** Starts a child execution of a registered state machine (throws the StartExecution errors). */
export type ChildStarter = (request: ChildRequest) => ChildHandle;

function childInput(raw: JsonValue | undefined): unknown {
  if (raw === undefined) return {};
  if (typeof raw !== "string") return raw;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw new TaskFailure("StepFunctions.InvalidExecutionInputException", "Invalid State Machine Execution Input: 'Input' must be JSON");
  }
}

function start(runtime: TaskRuntime, parameters: Record<string, JsonValue>): ChildHandle {
  const { StateMachineArn: stateMachine, Name: name } = parameters;
  if (typeof stateMachine !== "string") throw new TaskFailure("States.Runtime", "startExecution: Parameters.StateMachineArn must be a string");
  const input = childInput(parameters.Input);
  try {
    return runtime.startChild({ stateMachine, input, name: typeof name === "string" ? name : undefined });
  } catch (thrown) {
    if (thrown instanceof StateMachineNotFoundError) throw new TaskFailure("StepFunctions.StateMachineDoesNotExistException", thrown.message);
    if (thrown instanceof ExecutionAlreadyExistsError) throw new TaskFailure("StepFunctions.ExecutionAlreadyExistsException", thrown.message);
    throw new TaskFailure("StepFunctions.InvalidNameException", thrown instanceof Error ? thrown.message : String(thrown));
  }
}

/** Waits for the child, stopping it if the parent Task times out or the parent is stopped. */
async function awaitChild(runtime: TaskRuntime, child: ChildHandle, deadline: TaskDeadline | undefined): Promise<ExecutionSummary> {
  const timer = new AbortController();
  const stopChild = (): void => child.stop("States.Aborted", "parent execution stopped");
  runtime.signal.addEventListener("abort", stopChild, { once: true });
  const contenders: Promise<ExecutionSummary | "timeout">[] = [child.done];
  if (deadline !== undefined) {
    contenders.push(runtime.timeline.sleepUntil(runtime.participant, deadline.atMs, timer.signal).then(() => "timeout" as const));
  }
  try {
    const winner = await runtime.timeline.blockedOn(runtime.participant, Promise.race(contenders));
    if (winner !== "timeout") return winner;
    child.stop(deadline?.error ?? "States.Timeout", "parent Task timed out");
    throw new TaskTimeout(deadline?.error ?? "States.Timeout", deadline?.cause ?? "Task timed out while waiting for the child execution");
  } finally {
    runtime.signal.removeEventListener("abort", stopChild);
    timer.abort();
  }
}

/** The DescribeExecution-shaped output of a `.sync` integration; `.sync:2` keeps Input/Output as JSON. */
function describe(summary: ExecutionSummary, pattern: "sync" | "sync:2"): Record<string, JsonValue> {
  const asJson = (value: unknown): JsonValue => (pattern === "sync:2" ? (value as JsonValue) ?? null : JSON.stringify(value ?? null));
  const described: Record<string, JsonValue> = {
    ExecutionArn: summary.executionArn,
    Input: asJson(summary.input),
    InputDetails: { Included: true },
    Name: summary.name,
    RedriveCount: 0,
    RedriveStatus: "NOT_REDRIVABLE",
    StartDate: summary.startMs,
    StateMachineArn: summary.stateMachineArn,
    Status: summary.status,
    StopDate: summary.stopMs ?? null,
  };
  if (summary.status === "SUCCEEDED") return { ...described, Output: asJson(summary.output), OutputDetails: { Included: true } };
  return { ...described, Error: summary.error ?? null, Cause: summary.cause ?? null };
}

/**
 * `arn:aws:states:::states:startExecution[.sync[:2]]`: starts a child on the local registry. The
 * `.sync` forms wait for it (TaskSubmitted once it started) and fail with States.TaskFailed, the
 * child's description as Cause, unless it succeeded.
 */
export async function startChildExecution(runtime: TaskRuntime, pattern: "async" | "sync" | "sync:2", parameters: JsonValue, deadline: TaskDeadline | undefined): Promise<JsonValue> {
  const child = start(runtime, jsonFields(parameters));
  if (pattern === "async") return { ExecutionArn: child.executionArn, StartDate: child.startMs };
  runtime.account.record("TaskSubmitted");
  const summary = await awaitChild(runtime, child, deadline);
  const described = describe(summary, pattern);
  if (summary.status !== "SUCCEEDED") throw new TaskFailure("States.TaskFailed", JSON.stringify(described));
  return described;
}
