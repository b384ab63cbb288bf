import { TaskFailure } from "./errors.ts";
import { type LambdaFunctionSettings, lambdaContext } from "./lambda-context.ts";
import { wireJson } from "./payload.ts";
import type { TaskRuntime } from "./tasks.ts";
import type { JsonValue, TaskHandler } from "./types.ts";

/** An invocation that Lambda itself ends: the function runs out of time or memory. */
export type LambdaFaultKind = "timeout" | "out-of-memory";

/** How the local Lambda service runs a function: its configuration, and the faults to inject. */
export interface LambdaService {
  settings(functionName: string): LambdaFunctionSettings;
  fault(functionName: string): LambdaFaultKind | undefined;
}

/**
 * "Unhandled errors in Lambda are reported as Lambda.Unknown in the error output. These include
 * out-of-memory errors and function timeouts." (Step Functions developer guide, "Handle Lambda
 * service exceptions", https://docs.aws.amazon.com/step-functions/latest/dg/bp-lambda-serviceexception.html).
 * The Cause carries the payload Lambda returned for the unhandled error.
 */
const unhandled = (payload: Record<string, string>): TaskFailure =>
  new TaskFailure("Lambda.Unknown", `The cause could not be determined because Lambda did not return an error type. Returned payload: ${JSON.stringify(payload)}`);

const timedOut = (atMs: number, requestId: string, settings: LambdaFunctionSettings): TaskFailure =>
  unhandled({ errorMessage: `${new Date(atMs).toISOString()} ${requestId} Task timed out after ${settings.timeoutSeconds.toFixed(2)} seconds` });

const outOfMemory = (requestId: string): TaskFailure =>
  unhandled({ errorType: "Runtime.OutOfMemory", errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: signal: killed` });

/**
 * Invokes a handler as Lambda would: with the function's context, on virtual time. A handler
 * that runs past its timeout in virtual time has been stopped by Lambda, whatever it returned;
 * an injected timeout lets the handler's work happen and then holds the invocation until the
 * timeout (the harsher case: side effects without a result); out-of-memory loses the result.
 */
export async function invokeFunction(runtime: TaskRuntime, found: { key: string; handler: TaskHandler }, event: unknown, requestId: string): Promise<JsonValue> {
  const { clock } = runtime.timeline;
  const settings = runtime.lambda.settings(found.key);
  const fault = runtime.lambda.fault(found.key);
  const deadlineMs = clock.nowMs + settings.timeoutSeconds * 1000;
  let outcome: { result: unknown } | { thrown: unknown };
  try {
    outcome = { result: await found.handler(structuredClone(event), lambdaContext(runtime.scope, clock, found.key, requestId, settings)) };
  } catch (thrown) {
    outcome = { thrown };
  }
  if (fault === "timeout" && clock.nowMs < deadlineMs) await runtime.timeline.sleepUntil(runtime.participant, deadlineMs, runtime.signal);
  if (clock.nowMs > deadlineMs || fault === "timeout") throw timedOut(deadlineMs, requestId, settings);
  if (fault === "out-of-memory") throw outOfMemory(requestId);
  if ("thrown" in outcome) throw TaskFailure.fromHandlerError(outcome.thrown);
  return wireJson(outcome.result);
}
