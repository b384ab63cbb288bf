import { describe, expect, test } from "vitest";
import { runStateMachine, type RunResult, type TaskHandler } from "../../../emulator/stepfunctions/index.ts";
import { lambdaArn, NamedError, recordingClock } from "./support.ts";

// Step Functions developer guide, "Handling errors in Step Functions workflows"
// (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html):
//   States.ALL "can't catch the States.DataLimitExceeded terminal error or Runtime error types";
//   States.Runtime "isn't retriable, and will always cause the execution to fail";
//   States.TaskFailed "acts as a wildcard that matches any known error name except for States.Timeout".
// "Handle Lambda service exceptions" (https://docs.aws.amazon.com/step-functions/latest/dg/bp-lambda-serviceexception.html):
//   "Unhandled errors in Lambda are reported as Lambda.Unknown ... These include out-of-memory errors and
//   function timeouts. You can match on Lambda.Unknown, States.ALL, or States.TaskFailed".

type Clock = ReturnType<typeof recordingClock>;

interface Source {
  readonly error: string;
  /** The Task's extra fields and its handler, given the clock (a handler moves virtual time by advancing it). */
  readonly task: Record<string, unknown>;
  readonly handler: (clock: Clock) => TaskHandler;
  readonly lambdaFault?: "timeout" | "out-of-memory";
}

const big = "x".repeat(300_000);
const sources: Source[] = [
  { error: "BadInputError", task: {}, handler: () => async () => { throw new NamedError("BadInputError", "no instance id"); } },
  { error: "States.DataLimitExceeded", task: {}, handler: () => async () => ({ big }) },
  // lambda:invoke whose FunctionName resolves to a number: the integration cannot run (States.Runtime).
  { error: "States.Runtime", task: { Resource: "arn:aws:states:::lambda:invoke", Parameters: { "FunctionName.$": "$.n" } }, handler: () => async () => ({}) },
  { error: "States.Timeout", task: { TimeoutSeconds: 5 }, handler: (clock) => async () => { clock.advance(10); return {}; } },
  { error: "States.HeartbeatTimeout", task: { TimeoutSeconds: 30, HeartbeatSeconds: 5 }, handler: (clock) => async () => { clock.advance(10); return {}; } },
  { error: "Lambda.Unknown", task: {}, handler: () => async () => ({}), lambdaFault: "out-of-memory" },
];

/** Which catchers take which errors, as the guide says (true: caught). */
const table: Record<string, Record<"States.ALL" | "States.TaskFailed" | "exact name", boolean>> = {
  BadInputError: { "States.ALL": true, "States.TaskFailed": true, "exact name": true },
  "States.DataLimitExceeded": { "States.ALL": false, "States.TaskFailed": false, "exact name": false },
  "States.Runtime": { "States.ALL": false, "States.TaskFailed": false, "exact name": false },
  "States.Timeout": { "States.ALL": true, "States.TaskFailed": false, "exact name": true },
  "States.HeartbeatTimeout": { "States.ALL": true, "States.TaskFailed": false, "exact name": true },
  "Lambda.Unknown": { "States.ALL": true, "States.TaskFailed": true, "exact name": true },
};

async function runWithCatch(source: Source, errorEquals: string[], retry = false): Promise<{ result: RunResult; clock: Clock; calls: number }> {
  const clock = recordingClock();
  let calls = 0;
  const inner = source.handler(clock);
  const handler: TaskHandler = async (event, context) => {
    calls += 1;
    return inner(event, context);
  };
  const definition = {
    StartAt: "Work",
    States: {
      Work: {
        Type: "Task", Resource: lambdaArn("work"), ...source.task,
        ...(retry ? { Retry: [{ ErrorEquals: errorEquals, IntervalSeconds: 1, MaxAttempts: 2 }] } : {}),
        Catch: [{ ErrorEquals: errorEquals, ResultPath: "$.error", Next: "Cleanup" }],
        End: true,
      },
      Cleanup: { Type: "Pass", End: true },
    },
  };
  const result = await runStateMachine({
    clock, definition, input: { n: 7 }, handlers: { work: handler },
    lambdaFault: () => source.lambdaFault,
  });
  return { result, clock, calls };
}

describe("which Catch takes which error (error-handling guide)", () => {
  const rows = sources.flatMap((source) =>
    (["States.ALL", "States.TaskFailed", "exact name"] as const).map((catcher) => ({ source, catcher, caught: table[source.error]?.[catcher] })));

  test.each(rows)("$source.error with a Catch on $catcher: caught $caught", async ({ source, catcher, caught }) => {
    const { result } = await runWithCatch(source, [catcher === "exact name" ? source.error : catcher]);
    const entered = result.executions[0]?.historyEventTypes ?? [];
    if (caught) {
      expect(result.status).toBe("SUCCEEDED");
      expect(result.output).toMatchObject({ error: { Error: source.error } });
      expect(entered).toContain("PassStateEntered");
    } else {
      // No cleanup path: the execution fails where the error happened.
      expect(result).toMatchObject({ status: "FAILED", error: source.error });
      expect(entered).not.toContain("PassStateEntered");
    }
  });

  test("a terminal error is not retried by States.ALL; a timeout is not retried by States.TaskFailed", async () => {
    const dataLimit = await runWithCatch(sources[1] as Source, ["States.ALL"], true);
    expect(dataLimit.calls).toBe(1);
    const timeout = await runWithCatch(sources[3] as Source, ["States.TaskFailed"], true);
    expect(timeout.calls).toBe(1);
    const retried = await runWithCatch(sources[3] as Source, ["States.ALL"], true);
    expect(retried.calls).toBe(3);
  });

  test("a timed-out attempt writes TimedOut, at the virtual time the handler returned", async () => {
    const { result } = await runWithCatch(sources[4] as Source, ["States.ALL"]);
    expect(result.executions[0]?.historyEventTypes.slice(2, 5)).toEqual(["LambdaFunctionScheduled", "LambdaFunctionStarted", "LambdaFunctionTimedOut"]);
  });
});
