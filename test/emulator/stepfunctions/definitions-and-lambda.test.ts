import { describe, expect, test } from "vitest";
import { InvalidDefinitionError, prepareDefinition, runStateMachine } from "../../../emulator/stepfunctions/index.ts";
import { lambdaArn, recordingClock, START_MS } from "./support.ts";

// Amazon States Language spec (https://states-language.net/spec.html), "Retrying after error" and
// "Fallback states": ErrorEquals "MUST be a non-empty array of Strings"; "States.ALL" "MUST appear alone
// in the ErrorEquals array and MUST appear in the last Retrier" (and last Catcher); IntervalSeconds "MUST
// be a positive integer"; BackoffRate "MUST be greater than or equal to 1.0"; MaxAttempts "MUST be a
// non-negative integer"; "the HeartbeatSeconds interval MUST be smaller than the TimeoutSeconds value".
// CreateStateMachine answers InvalidDefinition: "Invalid State Machine Definition: '<CODE>: <message> at <path>'".
describe("definitions are validated as CreateStateMachine does", () => {
  const task = (fields: Record<string, unknown>) => ({
    StartAt: "Work",
    States: { Work: { Type: "Task", Resource: lambdaArn("work"), ...fields, Next: "Done" }, Done: { Type: "Succeed" } },
  });
  const rows = [
    { rule: "ErrorEquals non-empty", fields: { Retry: [{ ErrorEquals: [] }] }, message: "ErrorEquals must be a non-empty array at /States/Work/Retry/0/ErrorEquals" },
    { rule: "States.ALL alone (Retry)", fields: { Retry: [{ ErrorEquals: ["States.ALL", "X"] }] }, message: "States.ALL must appear alone in ErrorEquals at /States/Work/Retry/0/ErrorEquals" },
    { rule: "States.ALL alone (Catch)", fields: { Catch: [{ ErrorEquals: ["X", "States.ALL"], Next: "Done" }] }, message: "States.ALL must appear alone in ErrorEquals at /States/Work/Catch/0/ErrorEquals" },
    { rule: "States.ALL in the last Retrier", fields: { Retry: [{ ErrorEquals: ["States.ALL"] }, { ErrorEquals: ["X"] }] }, message: "States.ALL must appear in the last Retrier at /States/Work/Retry/0/ErrorEquals" },
    { rule: "States.ALL in the last Catcher", fields: { Catch: [{ ErrorEquals: ["States.ALL"], Next: "Done" }, { ErrorEquals: ["X"], Next: "Done" }] }, message: "States.ALL must appear in the last Catcher at /States/Work/Catch/0/ErrorEquals" },
    { rule: "BackoffRate >= 1", fields: { Retry: [{ ErrorEquals: ["X"], BackoffRate: 0.5 }] }, message: "'BackoffRate' must be >= 1.0 at /States/Work/Retry/0/BackoffRate" },
    { rule: "IntervalSeconds positive", fields: { Retry: [{ ErrorEquals: ["X"], IntervalSeconds: 0 }] }, message: "'IntervalSeconds' must be a positive integer at /States/Work/Retry/0/IntervalSeconds" },
    { rule: "MaxAttempts >= 0", fields: { Retry: [{ ErrorEquals: ["X"], MaxAttempts: -1 }] }, message: "/States/Work/Retry/0/MaxAttempts" },
    { rule: "HeartbeatSeconds < TimeoutSeconds", fields: { TimeoutSeconds: 10, HeartbeatSeconds: 10 }, message: "'HeartbeatSeconds' must be smaller than the value for the field 'TimeoutSeconds' at /States/Work/HeartbeatSeconds" },
  ];

  test.each(rows)("$rule", ({ fields, message }) => {
    let thrown: unknown;
    try {
      prepareDefinition("bad", task(fields), { work: async () => ({}) });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidDefinitionError);
    expect((thrown as Error).message).toMatch(/^Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: /);
    expect((thrown as Error).message).toContain(message);
  });

  test("the same rules inside Parallel branches, and a definition that keeps them is accepted", () => {
    const nested = { StartAt: "Fan", States: { Fan: { Type: "Parallel", Branches: [task({ Retry: [{ ErrorEquals: ["X"], BackoffRate: 0 }] })], End: true } } };
    expect(() => prepareDefinition("bad", nested, { work: async () => ({}) })).toThrow("at /States/Fan/Branches/0/States/Work/Retry/0/BackoffRate");
    const good = task({ TimeoutSeconds: 10, HeartbeatSeconds: 5, Retry: [{ ErrorEquals: ["X"], BackoffRate: 1 }, { ErrorEquals: ["States.ALL"] }], Catch: [{ ErrorEquals: ["States.ALL"], Next: "Done" }] });
    expect(() => prepareDefinition("good", good, { work: async () => ({}) })).not.toThrow();
  });
});

// A Lambda function runs for at most its configured timeout ("Timeout is the maximum amount of time in
// seconds that a Lambda function can run. The default value for this setting is 3 seconds", Lambda
// developer guide, "Configure Lambda function timeout", https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html);
// Step Functions reports a timed-out or out-of-memory function as Lambda.Unknown ("Handle Lambda service
// exceptions", https://docs.aws.amazon.com/step-functions/latest/dg/bp-lambda-serviceexception.html).
describe("Lambda functions run within their configured timeout and memory", () => {
  const definition = { StartAt: "Work", States: { Work: { Type: "Task", Resource: lambdaArn("work"), TimeoutSeconds: 120, End: true } } };
  const functions = { work: { timeoutSeconds: 60, memoryMB: 512 } };

  test("the context reports the configured timeout and memory; Lambda's defaults when none is configured", async () => {
    const seen: [number, string][] = [];
    const work = async (_event: unknown, context: { getRemainingTimeInMillis(): number; memoryLimitInMB: string }) => {
      seen.push([context.getRemainingTimeInMillis(), context.memoryLimitInMB]);
      return {};
    };
    await runStateMachine({ clock: recordingClock(), definition, input: {}, handlers: { work }, functions });
    await runStateMachine({ clock: recordingClock(), definition, input: {}, handlers: { work } });
    expect(seen).toEqual([[60_000, "512"], [3_000, "128"]]);
  });

  const rows = [
    { name: "a handler running 61 s in virtual time", runs: 61, fault: undefined, stopMs: 61_000, payload: { errorMessage: "2026-01-01T00:01:00.000Z req-1 Task timed out after 60.00 seconds" } },
    { name: "a handler running exactly 60 s", runs: 60, fault: undefined, stopMs: 60_000, payload: undefined },
    { name: "an injected timeout (held until the 60 s timeout)", runs: 1, fault: "timeout", stopMs: 60_000, payload: { errorMessage: "2026-01-01T00:01:00.000Z req-1 Task timed out after 60.00 seconds" } },
    { name: "an injected out-of-memory", runs: 1, fault: "out-of-memory", stopMs: 1_000, payload: { errorType: "Runtime.OutOfMemory", errorMessage: "RequestId: req-1 Error: Runtime exited with error: signal: killed" } },
  ] as const;

  test.each(rows)("$name", async ({ runs, fault, stopMs, payload }) => {
    const clock = recordingClock();
    let effects = 0;
    const work = async () => {
      clock.advance(runs);
      effects += 1;
      return { done: true };
    };
    const result = await runStateMachine({ clock, definition, input: {}, handlers: { work }, functions, lambdaFault: () => fault, nextRequestId: () => "req-1" });
    expect(result.executions[0]?.stopMs).toBe(START_MS + stopMs);
    // Lambda ran the handler: its side effects happened either way.
    expect(effects).toBe(1);
    if (payload === undefined) {
      expect(result).toMatchObject({ status: "SUCCEEDED", output: { done: true } });
      return;
    }
    expect(result).toMatchObject({ status: "FAILED", error: "Lambda.Unknown" });
    expect(result.cause).toBe(`The cause could not be determined because Lambda did not return an error type. Returned payload: ${JSON.stringify(payload)}`);
  });
});
