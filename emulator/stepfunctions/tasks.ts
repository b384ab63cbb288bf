import { type AwsLocation, functionArn } from "../../infra/arns.ts";
import { jsonFields } from "./asl.ts";
import { type AttemptFailure, isAttemptFailure, TaskFailure, TaskTimeout, TERMINAL_ERRORS, TIMEOUT_ERRORS } from "./errors.ts";
import type { HistoryAccount } from "./history.ts";
import { invokeFunction, type LambdaService } from "./lambda-invoke.ts";
import { findHandler } from "./naming.ts";
import { dataLimitExceeded, exceedsPayloadLimit } from "./payload.ts";
import type { Retrier, TaskSpec } from "./prepare.ts";
import { startChildExecution, type ChildStarter } from "./child.ts";
import { nextMacrotask, type Participant, type VirtualTimeline } from "./timeline.ts";
import type { JsonValue, TaskHandlers } from "./types.ts";

/** What a Task needs from its execution. */
export interface TaskRuntime {
  readonly scope: AwsLocation;
  readonly handlers: TaskHandlers;
  readonly timeline: VirtualTimeline;
  readonly participant: Participant;
  readonly signal: AbortSignal;
  readonly account: HistoryAccount;
  readonly taskLatencyMs: number;
  readonly random: () => number;
  readonly startChild: ChildStarter;
  readonly lambda: LambdaService;
  nextRequestId(): string;
  onRetry(stateName: string, error: AttemptFailure, delaySeconds: number): void;
}

/** The first of a Task's own deadlines (HeartbeatSeconds, then TimeoutSeconds) an attempt runs past. */
export interface TaskDeadline {
  readonly atMs: number;
  readonly error: "States.Timeout" | "States.HeartbeatTimeout";
  readonly cause: string;
}

/**
 * No local task can send a heartbeat (task tokens and activities are not supported), so an
 * attempt longer than HeartbeatSeconds fails with States.HeartbeatTimeout ("A Task state failed
 * to send a heartbeat for a period longer than the HeartbeatSeconds value"); one longer than
 * TimeoutSeconds with States.Timeout. HeartbeatSeconds is smaller than TimeoutSeconds (the
 * definition is rejected otherwise), so it is checked first.
 */
function deadlineOf(spec: TaskSpec, startedMs: number): TaskDeadline | undefined {
  if (spec.heartbeatSeconds !== undefined) {
    return { atMs: startedMs + spec.heartbeatSeconds * 1000, error: "States.HeartbeatTimeout", cause: `Task did not send a heartbeat within ${spec.heartbeatSeconds} seconds` };
  }
  if (spec.timeoutSeconds !== undefined) {
    return { atMs: startedMs + spec.timeoutSeconds * 1000, error: "States.Timeout", cause: `Task timed out after ${spec.timeoutSeconds} seconds` };
  }
  return undefined;
}

/** `arn:aws:states:::lambda:invoke`: Parameters name the function; the result is Lambda's Invoke response. */
async function invokeLambdaIntegration(runtime: TaskRuntime, parameters: JsonValue): Promise<JsonValue> {
  const { FunctionName: functionName, Payload: payload } = jsonFields(parameters);
  if (typeof functionName !== "string") throw new TaskFailure("States.Runtime", "lambda:invoke: Parameters.FunctionName must be a string");
  const found = findHandler(runtime.handlers, functionName);
  if (found === undefined) {
    throw new TaskFailure("Lambda.ResourceNotFoundException", `Function not found: ${functionArn(runtime.scope, functionName)} (Service: Lambda, Status Code: 404)`);
  }
  const requestId = runtime.nextRequestId();
  const result = await invokeFunction(runtime, found, payload ?? {}, requestId);
  return {
    ExecutedVersion: "$LATEST",
    Payload: result,
    SdkHttpMetadata: {
      HttpHeaders: { "Content-Type": "application/json", "X-Amz-Executed-Version": "$LATEST", "x-amzn-RequestId": requestId },
      HttpStatusCode: 200,
    },
    SdkResponseMetadata: { RequestId: requestId },
    StatusCode: 200,
  };
}

/** The attempt's work: the integration's call, or the handler's invocation. */
async function work(spec: TaskSpec, input: JsonValue, runtime: TaskRuntime, deadline: TaskDeadline | undefined): Promise<JsonValue> {
  if (spec.integration.kind === "lambda-invoke") return invokeLambdaIntegration(runtime, input);
  if (spec.integration.kind === "start-execution") return startChildExecution(runtime, spec.integration.pattern, input, deadline);
  const found = findHandler(runtime.handlers, spec.resource);
  if (found === undefined) throw new TaskFailure("States.Runtime", `no handler for ${spec.resource}`);
  return invokeFunction(runtime, found, input, runtime.nextRequestId());
}

/** One attempt, with its history events (Scheduled, Started, [Submitted], Succeeded|Failed|TimedOut). */
async function attempt(spec: TaskSpec, input: JsonValue, runtime: TaskRuntime): Promise<JsonValue> {
  const prefix = spec.integration.kind === "function" ? spec.integration.events : "Task";
  if (runtime.taskLatencyMs > 0) await runtime.timeline.sleep(runtime.participant, runtime.taskLatencyMs / 1000, runtime.signal);
  runtime.signal.throwIfAborted();
  runtime.account.record(`${prefix}Scheduled`, `${prefix}Started`);
  const deadline = deadlineOf(spec, runtime.timeline.clock.nowMs);
  let outcome: { result: JsonValue } | { thrown: unknown };
  try {
    outcome = { result: await work(spec, input, runtime, deadline) };
  } catch (thrown) {
    outcome = { thrown };
  }
  if (runtime.signal.aborted) throw "thrown" in outcome ? outcome.thrown : runtime.signal.reason;
  // The Task's own deadline came first, whatever the work ended with.
  if (deadline !== undefined && runtime.timeline.clock.nowMs > deadline.atMs) outcome = { thrown: new TaskTimeout(deadline.error, deadline.cause) };
  if ("result" in outcome && exceedsPayloadLimit(outcome.result)) outcome = { thrown: dataLimitExceeded(spec.resource, "returned a result") };
  if ("result" in outcome) {
    runtime.account.record(`${prefix}Succeeded`);
    return outcome.result;
  }
  const failure = isAttemptFailure(outcome.thrown) ? outcome.thrown : TaskFailure.fromHandlerError(outcome.thrown);
  runtime.account.record(TIMEOUT_ERRORS.has(failure.name) ? `${prefix}TimedOut` : `${prefix}Failed`);
  throw failure;
}

/**
 * The matching retrier's next delay in seconds, or undefined when the error is not retried.
 * "States.TaskFailed ... matches any known error name except for States.Timeout"; terminal
 * errors are never retried (errors.ts).
 */
function retryDelaySeconds(retriers: readonly Retrier[], attempts: number[], errorName: string, random: () => number): number | undefined {
  if (TERMINAL_ERRORS.has(errorName)) return undefined;
  const index = retriers.findIndex(({ errorEquals }) =>
    errorEquals.includes(errorName) || errorEquals.includes("States.ALL") ||
    (errorEquals.includes("States.TaskFailed") && !TIMEOUT_ERRORS.has(errorName)));
  const retrier = retriers[index];
  if (retrier === undefined) return undefined;
  const made = attempts[index] ?? 0;
  if (made >= retrier.maxAttempts) return undefined;
  attempts[index] = made + 1;
  const interval = retrier.intervalSeconds * retrier.backoffRate ** made;
  const capped = retrier.maxDelaySeconds === undefined ? interval : Math.min(interval, retrier.maxDelaySeconds);
  return retrier.jitter === "FULL" ? random() * capped : capped;
}

/** Runs a Task state's work with its Retry policy on virtual time; the final error goes to Catch. */
export async function runTask(spec: TaskSpec, input: JsonValue, runtime: TaskRuntime): Promise<JsonValue> {
  // Let the event-log consumer see TaskStateEntered before this Task writes its own events.
  await nextMacrotask();
  runtime.signal.throwIfAborted();
  // The effective input (after InputPath and Parameters) is what the Task is scheduled with.
  if (exceedsPayloadLimit(input)) throw dataLimitExceeded(spec.stateName, "has an input");
  const attempts: number[] = [];
  for (;;) {
    try {
      return await attempt(spec, input, runtime);
    } catch (thrown) {
      if (runtime.signal.aborted || !isAttemptFailure(thrown)) throw thrown;
      const delay = retryDelaySeconds(spec.retriers, attempts, thrown.name, runtime.random);
      if (delay === undefined) throw thrown;
      runtime.account.retried();
      runtime.onRetry(spec.stateName, thrown, delay);
      await runtime.timeline.sleep(runtime.participant, delay, runtime.signal);
    }
  }
}
