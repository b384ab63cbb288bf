import { describe, expect, test } from "vitest";
import { LocalStepFunctions, runStateMachine } from "../../../emulator/stepfunctions/index.ts";
import { lambdaArn, NamedError, recordingClock, START_MS } from "./support.ts";

const waitMachine = (wait: Record<string, unknown>) => ({
  StartAt: "Pause",
  States: { Pause: { Type: "Wait", ...wait, Next: "Done" }, Done: { Type: "Pass", Parameters: { "at.$": "$$.Execution.StartTime", "input.$": "$" }, End: true } },
});

describe("Wait states run on the virtual clock", () => {
  test("a 300 s Wait advances the clock by exactly 300 s", async () => {
    const clock = recordingClock();
    const result = await runStateMachine({ clock, definition: waitMachine({ Seconds: 300 }), input: { a: 1 } });
    expect(result.status).toBe("SUCCEEDED");
    expect(clock.advances).toEqual([300]);
    expect(clock.nowMs - START_MS).toBe(300_000);
    expect(result.output).toEqual({ at: "2026-01-01T00:00:00.000Z", input: { a: 1 } });
    expect(result.executions[0]?.stopMs).toBe(START_MS + 300_000);
  });

  test("SecondsPath and TimestampPath read the state's effective input", async () => {
    const clock = recordingClock();
    const bySeconds = await runStateMachine({ clock, definition: waitMachine({ SecondsPath: "$.delay", InputPath: "$.wait" }), input: { wait: { delay: 42 } } });
    expect(bySeconds.status).toBe("SUCCEEDED");
    const byTimestamp = await runStateMachine({ clock, definition: waitMachine({ TimestampPath: "$.until" }), input: { until: "2026-01-01T01:00:00Z" } });
    expect(byTimestamp.status).toBe("SUCCEEDED");
    expect(clock.advances).toEqual([42, 3600 - 42]);
  });

  test("a SecondsPath that is not a non-negative integer fails the execution with States.Runtime", async () => {
    const clock = recordingClock();
    const result = await runStateMachine({ clock, definition: waitMachine({ SecondsPath: "$.delay" }), input: { delay: "soon" } });
    expect(result).toMatchObject({ status: "FAILED", error: "States.Runtime" });
    expect(clock.advances).toEqual([]);
  });

  test("concurrent executions interleave their Waits instead of adding them up", async () => {
    const clock = recordingClock();
    const stepFunctions = new LocalStepFunctions({ clock });
    stepFunctions.register({ name: "short", definition: waitMachine({ Seconds: 30 }) });
    stepFunctions.register({ name: "long", definition: waitMachine({ Seconds: 60 }) });
    const [long, short] = await Promise.all([stepFunctions.run("long", {}), stepFunctions.run("short", {})]);
    expect(short.executions[0]?.stopMs).toBe(START_MS + 30_000);
    expect(long.executions[0]?.stopMs).toBe(START_MS + 60_000);
    expect(clock.advances).toEqual([30, 30]);
  });

  test("TimeoutSeconds times the execution out on virtual time", async () => {
    const clock = recordingClock();
    const result = await runStateMachine({ clock, definition: { ...waitMachine({ Seconds: 300 }), TimeoutSeconds: 100 }, input: {} });
    expect(result).toMatchObject({ status: "TIMED_OUT", error: "States.Timeout" });
    expect(result.executions[0]?.stopMs).toBe(START_MS + 100_000);
    expect(result.executions[0]?.historyEventTypes.at(-1)).toBe("ExecutionTimedOut");
  });

  test("taskLatencyMs is spent before every Task attempt", async () => {
    const clock = recordingClock();
    const definition = {
      StartAt: "One",
      States: { One: { Type: "Task", Resource: lambdaArn("noop"), Next: "Two" }, Two: { Type: "Task", Resource: lambdaArn("noop"), End: true } },
    };
    const result = await runStateMachine({ clock, definition, input: {}, taskLatencyMs: 1500, handlers: { noop: async () => ({}) } });
    expect(result.status).toBe("SUCCEEDED");
    expect(clock.nowMs - START_MS).toBe(3000);
  });
});

describe("handler errors reach Retry and Catch by name", () => {
  const definition = {
    StartAt: "Call",
    States: {
      Call: {
        Type: "Task",
        Resource: lambdaArn("flaky"),
        Retry: [{ ErrorEquals: ["ThrottledError"], IntervalSeconds: 2, BackoffRate: 3, MaxAttempts: 3 }],
        Catch: [{ ErrorEquals: ["BadInputError"], ResultPath: "$.error", Next: "Rejected" }],
        End: true,
      },
      Rejected: { Type: "Pass", End: true },
    },
  };

  test("retries wait IntervalSeconds × BackoffRate^n of virtual time and count as transitions", async () => {
    const clock = recordingClock();
    let calls = 0;
    const flaky = async () => {
      calls += 1;
      if (calls < 3) throw new NamedError("ThrottledError", "slow down");
      return { calls };
    };
    const result = await runStateMachine({ clock, definition, input: {}, handlers: { flaky } });
    expect(result).toMatchObject({ status: "SUCCEEDED", output: { calls: 3 } });
    expect(clock.advances).toEqual([2, 6]);
    const [execution] = result.executions;
    // 1 state entered + 2 retries; ExecutionStarted, TaskStateEntered, 3 attempts × 3, TaskStateExited, ExecutionSucceeded
    expect(execution?.stateTransitions).toBe(3);
    expect(execution?.historyEvents).toBe(13);
    expect(execution?.historyEventTypes.slice(2, 8)).toEqual([
      "LambdaFunctionScheduled", "LambdaFunctionStarted", "LambdaFunctionFailed",
      "LambdaFunctionScheduled", "LambdaFunctionStarted", "LambdaFunctionFailed",
    ]);
  });

  test("exhausted retries fail the execution with the error's name and Lambda's JSON cause", async () => {
    const clock = recordingClock();
    const flaky = async () => {
      throw new NamedError("ThrottledError", "slow down");
    };
    const result = await runStateMachine({ clock, definition, input: {}, handlers: { flaky } });
    expect(result).toMatchObject({ status: "FAILED", error: "ThrottledError" });
    expect(JSON.parse(result.cause ?? "")).toEqual({ errorMessage: "slow down", errorType: "ThrottledError" });
    expect(clock.advances).toEqual([2, 6, 18]);
    expect(result.executions[0]?.historyEventTypes.at(-2)).toBe("LambdaFunctionFailed");
  });

  test("Catch routes by error name and writes {Error, Cause} at its ResultPath", async () => {
    const clock = recordingClock();
    const flaky = async () => {
      throw new NamedError("BadInputError", "instanceId missing");
    };
    const result = await runStateMachine({ clock, definition, input: { id: 1 }, handlers: { flaky } });
    expect(result.status).toBe("SUCCEEDED");
    expect(result.output).toEqual({
      id: 1,
      error: { Error: "BadInputError", Cause: JSON.stringify({ errorMessage: "instanceId missing", errorType: "BadInputError" }) },
    });
    expect(clock.advances).toEqual([]);
    expect(result.executions[0]?.historyEventTypes).toEqual([
      "ExecutionStarted", "TaskStateEntered", "LambdaFunctionScheduled", "LambdaFunctionStarted", "LambdaFunctionFailed",
      "TaskStateExited", "PassStateEntered", "PassStateExited", "ExecutionSucceeded",
    ]);
  });
});
