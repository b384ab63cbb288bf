import { describe, expect, test } from "vitest";
import { HISTORY_EVENT_LIMIT, runStateMachine, type StepFunctionsEvent } from "../../../emulator/stepfunctions/index.ts";
import { lambdaArn, NamedError, recordingClock, START_MS } from "./support.ts";

const increment = async (event: unknown) => ({ count: (event as { count: number }).count + 1 });

describe("accounting the way AWS would", () => {
  test("a Choice loop: transitions and history events counted by hand", async () => {
    const definition = {
      StartAt: "Init",
      States: {
        Init: { Type: "Pass", Result: { count: 0 }, ResultPath: "$.counter", Next: "Increment" },
        Increment: { Type: "Task", Resource: lambdaArn("increment"), Parameters: { "count.$": "$.counter.count" }, ResultPath: "$.counter", Next: "Check" },
        Check: { Type: "Choice", Choices: [{ Variable: "$.counter.count", NumericLessThan: 3, Next: "Pause" }], Default: "Done" },
        Pause: { Type: "Wait", Seconds: 10, Next: "Increment" },
        Done: { Type: "Succeed" },
      },
    };
    const clock = recordingClock();
    const events: StepFunctionsEvent[] = [];
    const result = await runStateMachine({ clock, definition, input: {}, handlers: { increment }, onEvent: (event) => events.push(event) });
    expect(result).toMatchObject({ status: "SUCCEEDED", output: { counter: { count: 3 } } });
    const [execution] = result.executions;
    // Entered: Init 1, Increment 3, Check 3, Pause 2, Done 1.
    expect(execution?.stateTransitions).toBe(10);
    // 1 started + Init 2 + Increment 3×5 + Check 3×2 + Pause 2×2 + Done 2 + 1 succeeded.
    expect(execution?.historyEvents).toBe(31);
    expect(clock.nowMs - START_MS).toBe(20_000);
    const pauses = events.filter((event) => event.kind === "state" && event.stateName === "Pause");
    expect(pauses.map((event) => [event.kind === "state" && event.phase, event.timeMs - START_MS])).toEqual([
      ["entered", 0], ["exited", 10_000], ["entered", 10_000], ["exited", 20_000],
    ]);
    expect(events.at(-1)).toMatchObject({ kind: "execution", status: "SUCCEEDED", timeMs: START_MS + 20_000 });
  });

  test("an inline Map writes MapState and MapIteration events", async () => {
    const definition = {
      StartAt: "Each",
      States: {
        Each: { Type: "Map", ItemsPath: "$.items", ItemProcessor: { StartAt: "Item", States: { Item: { Type: "Pass", End: true } } }, End: true },
      },
    };
    const result = await runStateMachine({ clock: recordingClock(), definition, input: { items: [1, 2] } });
    expect(result).toMatchObject({ status: "SUCCEEDED", output: [1, 2] });
    // 1 + MapStateEntered/Started 2 + 2 × (IterationStarted, PassEntered, PassExited, IterationSucceeded) + MapStateSucceeded/Exited 2 + 1
    expect(result.executions[0]?.historyEvents).toBe(14);
    expect(result.executions[0]?.stateTransitions).toBe(3);
  });

  test(`an execution that would exceed ${HISTORY_EVENT_LIMIT} history events fails with States.Runtime`, async () => {
    const definition = {
      StartAt: "Spin",
      States: {
        Spin: { Type: "Pass", Next: "Again" },
        Again: { Type: "Choice", Choices: [{ Variable: "$.forever", BooleanEquals: true, Next: "Spin" }], Default: "Stop" },
        Stop: { Type: "Succeed" },
      },
    };
    const result = await runStateMachine({ clock: recordingClock(), definition, input: { forever: true } });
    expect(result).toMatchObject({ status: "FAILED", error: "States.Runtime" });
    expect(result.executions[0]?.historyEvents).toBe(HISTORY_EVENT_LIMIT);
    expect(result.executions[0]?.historyEventTypes.at(-1)).toBe("ExecutionFailed");
  });
});

describe("lambda:invoke integration", () => {
  const definition = (functionName: string) => ({
    StartAt: "Invoke",
    States: {
      Invoke: {
        Type: "Task",
        Resource: "arn:aws:states:::lambda:invoke",
        Parameters: { FunctionName: functionName, "Payload.$": "$" },
        Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "Failed" }],
        End: true,
      },
      Failed: { Type: "Pass", End: true },
    },
  });

  test("wraps the function's result like Lambda's Invoke response and writes Task* events", async () => {
    const seen: unknown[] = [];
    const echo = async (event: unknown, context: { functionName: string; getRemainingTimeInMillis(): number }) => {
      seen.push([context.functionName, context.getRemainingTimeInMillis() > 0]);
      return { echoed: event };
    };
    const result = await runStateMachine({ clock: recordingClock(), definition: definition(`${lambdaArn("echo")}:$LATEST`), input: { n: 1 }, handlers: { echo } });
    expect(result.status).toBe("SUCCEEDED");
    expect(result.output).toMatchObject({ ExecutedVersion: "$LATEST", StatusCode: 200, Payload: { echoed: { n: 1 } } });
    expect(result.output).toHaveProperty("SdkResponseMetadata.RequestId");
    expect(seen).toEqual([["echo", true]]);
    expect(result.executions[0]?.historyEventTypes).toEqual([
      "ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSucceeded", "TaskStateExited", "ExecutionSucceeded",
    ]);
  });

  test("function errors surface with the errorType as the error name; handlers resolve from ${Placeholder}", async () => {
    const fail = async () => {
      throw new NamedError("DrainTimeoutError", "still 12 connections");
    };
    const result = await runStateMachine({ clock: recordingClock(), definition: definition("${DrainFunctionArn}"), input: {}, handlers: { DrainFunctionArn: fail } });
    expect(result.output).toEqual({
      error: { Error: "DrainTimeoutError", Cause: JSON.stringify({ errorMessage: "still 12 connections", errorType: "DrainTimeoutError" }) },
    });
  });

  test("a FunctionName.$ with no handler fails as Lambda.ResourceNotFoundException", async () => {
    const dynamic = { ...definition("unused") };
    const invoke = { ...dynamic.States.Invoke, Parameters: { "FunctionName.$": "$.fn", "Payload.$": "$" } };
    const result = await runStateMachine({ clock: recordingClock(), definition: { ...dynamic, States: { ...dynamic.States, Invoke: invoke } }, input: { fn: "ghost" } });
    expect(result.output).toMatchObject({ error: { Error: "Lambda.ResourceNotFoundException" } });
  });
});
