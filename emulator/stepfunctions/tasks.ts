import { type AwsLocation, functionArn } from "../../infra/arns.ts";
import { jsonFields } from "./asl.ts";
import { TaskFailure } from "./errors.ts";
import type { HistoryAccount } from "./history.ts";
import { lambdaContext } from "./lambda-context.ts";
import { findHandler } from "./naming.ts";
import type { Retrier, TaskSpec } from "./prepare.ts";
import { startChildExecution, type ChildStarter } from "./child.ts";
import { nextMacrotask, type Participant, type VirtualTimeline } from "./timeline.ts";
import type { JsonValue, TaskHandler, TaskHandlers } from "./types.ts";

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
  nextRequestId(): string;
  onRetry(stateName: string, error: TaskFailure, delaySeconds: number): void;
}

/** Step Functions' payload quota (256 KB), applied to task results. */
const PAYLOAD_LIMIT_BYTES = 262_144;

/** The result as it would cross the wire: JSON only, within the payload quota. */
export function wireJson(value: unknown): JsonValue {
  const text = JSON.stringify(value ?? null);
  if (Buffer.byteLength(text) > PAYLOAD_LIMIT_BYTES) {
    throw new TaskFailure("States.DataLimitExceeded", `The state/task returned a result with a size exceeding the maximum number of bytes service limit (${PAYLOAD_LIMIT_BYTES}).`);
  }
  return JSON.parse(text) as JsonValue;
}

async function invokeFunction(runtime: TaskRuntime, found: { key: string; handler: TaskHandler }, event: unknown, requestId: string): Promise<JsonValue> {
  let result: unknown;
  try {
    result = await found.handler(structuredClone(event), lambdaContext(runtime.scope, runtime.timeline.clock, found.key, requestId));
  } catch (thrown) {
    throw TaskFailure.fromHandlerError(thrown);
  }
  return wireJson(result);
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

/** One attempt, with its history events (Scheduled, Started, [Submitted], Succeeded|Failed|TimedOut). */
async function attempt(spec: TaskSpec, input: JsonValue, runtime: TaskRuntime): Promise<JsonValue> {
  const prefix = spec.integration.kind === "function" ? spec.integration.events : "Task";
  const startedMs = runtime.timeline.clock.nowMs;
  if (runtime.taskLatencyMs > 0) await runtime.timeline.sleep(runtime.participant, runtime.taskLatencyMs / 1000, runtime.signal);
  runtime.signal.throwIfAborted();
  runtime.account.record(`${prefix}Scheduled`, `${prefix}Started`);
  const timeoutMs = spec.timeoutSeconds === undefined ? undefined : spec.timeoutSeconds * 1000;
  try {
    let result: JsonValue;
    if (spec.integration.kind === "lambda-invoke") result = await invokeLambdaIntegration(runtime, input);
    else if (spec.integration.kind === "start-execution") {
      const deadlineMs = timeoutMs === undefined ? undefined : startedMs + timeoutMs;
      result = await startChildExecution(runtime, spec.integration.pattern, input, deadlineMs);
    } else {
      const found = findHandler(runtime.handlers, spec.resource);
      if (found === undefined) throw new TaskFailure("States.Runtime", `no handler for ${spec.resource}`);
      result = await invokeFunction(runtime, found, input, runtime.nextRequestId());
    }
    if (timeoutMs !== undefined && runtime.timeline.clock.nowMs - startedMs > timeoutMs) {
      throw new TaskFailure("States.Timeout", `Task timed out after ${spec.timeoutSeconds} seconds`);
    }
    runtime.account.record(`${prefix}Succeeded`);
    return result;
  } catch (thrown) {
    const failure = thrown instanceof TaskFailure ? thrown : TaskFailure.fromHandlerError(thrown);
    if (!runtime.signal.aborted) runtime.account.record(failure.name === "States.Timeout" ? `${prefix}TimedOut` : `${prefix}Failed`);
    throw failure;
  }
}

const UNRETRYABLE = new Set(["States.Runtime", "States.DataLimitExceeded"]);

/** The matching retrier's next delay in seconds, or undefined when the error is not retried. */
function retryDelaySeconds(retriers: readonly Retrier[], attempts: number[], errorName: string, random: () => number): number | undefined {
  if (UNRETRYABLE.has(errorName)) return undefined;
  const index = retriers.findIndex(({ errorEquals }) =>
    errorEquals.includes(errorName) || errorEquals.includes("States.ALL") ||
    (errorEquals.includes("States.TaskFailed") && errorName !== "States.Timeout"));
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
  const attempts: number[] = [];
  for (;;) {
    try {
      return await attempt(spec, input, runtime);
    } catch (thrown) {
      if (runtime.signal.aborted || !(thrown instanceof TaskFailure)) throw thrown;
      const delay = retryDelaySeconds(spec.retriers, attempts, thrown.name, runtime.random);
      if (delay === undefined) throw thrown;
      runtime.account.retried();
      runtime.onRetry(spec.stateName, thrown, delay);
      await runtime.timeline.sleep(runtime.participant, delay, runtime.signal);
    }
  }
}
