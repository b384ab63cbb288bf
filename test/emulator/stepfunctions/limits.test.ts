import { describe, expect, test } from "vitest";
import {
  ExecutionInputTooLargeError, LocalStepFunctions, PAYLOAD_LIMIT_BYTES, runStateMachine,
} from "../../../emulator/stepfunctions/index.ts";
import { AwsApiError } from "../../../emulator/protocol/errors.ts";
import { registerStateMachine, stepFunctionsService } from "../../../emulator/stepfunctions/actions/index.ts";
import type { World } from "../../../sim/world.ts";
import { lambdaArn, recordingClock, testHost } from "./support.ts";

// "Maximum input or output size for a task, state, or execution: 262,144 bytes of data as a UTF-8 encoded
// string. This quota affects tasks (activity, Lambda function, or integrated service), state or execution
// output, and input data when scheduling a task, entering a state, or starting an execution."
// (Step Functions developer guide, "Step Functions service quotas", https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html)
// States.DataLimitExceeded is reported when "the output of a state is larger than payload size quota" and
// "after Parameters processing, the input of a state is larger than the payload size quota", and is "a
// terminal error that can't be caught by the States.ALL error type" ("Handling errors in Step Functions workflows").

/** A JSON string value whose document `{"s":"..."}` is exactly `bytes` long. */
const sized = (bytes: number): string => "x".repeat(bytes - '{"s":""}'.length);

const catchAll = { Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "Cleanup" }] };
const cleanup = { Cleanup: { Type: "Pass", End: true } };

const cases = [
  {
    name: "a Task result one byte over", input: {}, expect: "States.DataLimitExceeded",
    handler: async () => ({ s: sized(PAYLOAD_LIMIT_BYTES + 1) }),
    states: { Work: { Type: "Task", Resource: lambdaArn("work"), ...catchAll, End: true }, ...cleanup },
  },
  {
    name: "a Task result exactly at the quota", input: {}, expect: "SUCCEEDED",
    handler: async () => ({ s: sized(PAYLOAD_LIMIT_BYTES) }),
    states: { Work: { Type: "Task", Resource: lambdaArn("work"), ...catchAll, End: true }, ...cleanup },
  },
  {
    name: "a state output over the quota after ResultPath (each part under it)", input: { a: sized(150_000) }, expect: "States.DataLimitExceeded",
    handler: async () => ({ s: sized(150_000) }),
    states: { Work: { Type: "Task", Resource: lambdaArn("work"), ResultPath: "$.result", ...catchAll, Next: "After" }, After: { Type: "Pass", End: true }, ...cleanup },
  },
  {
    name: "a Task input over the quota after Parameters", input: { a: sized(150_000) }, expect: "States.DataLimitExceeded",
    handler: async () => ({}),
    states: { Work: { Type: "Task", Resource: lambdaArn("work"), Parameters: { "one.$": "$.a", "two.$": "$.a" }, ...catchAll, End: true }, ...cleanup },
  },
  {
    name: "a Pass state's output over the quota", input: { a: sized(150_000) }, expect: "States.DataLimitExceeded",
    handler: async () => ({}),
    states: { Grow: { Type: "Pass", Parameters: { "one.$": "$.a", "two.$": "$.a" }, End: true } },
  },
];

describe("the 256 KB payload quota applies to every state's input and output", () => {
  test.each(cases)("$name: $expect", async ({ input, handler, states, expect: expected }) => {
    let calls = 0;
    const work = async () => {
      calls += 1;
      return handler();
    };
    const definition = { StartAt: Object.keys(states)[0] ?? "", States: states };
    const result = await runStateMachine({ clock: recordingClock(), definition, input, handlers: { work } });
    if (expected === "SUCCEEDED") {
      expect(result.status).toBe("SUCCEEDED");
      return;
    }
    expect(result).toMatchObject({ status: "FAILED", error: expected });
    // The States.ALL catcher never runs, and nothing after the failing state does.
    const types = result.executions[0]?.historyEventTypes ?? [];
    expect(types.filter((type) => type === "PassStateEntered").length).toBe(states.Grow === undefined ? 0 : 1);
    expect(calls).toBeLessThanOrEqual(1);
  });

  test("StartExecution refuses an input over the quota: ValidationException (API reference: input 'Maximum length of 262144')", () => {
    const host = testHost();
    registerStateMachine(host, { name: "noop", definition: { StartAt: "Done", States: { Done: { Type: "Succeed" } } } });
    const start = (input: string): unknown => stepFunctionsService.actions.StartExecution?.(
      { stateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:noop", input }, { world: host as unknown as World, requestId: "r" });
    expect(() => start(JSON.stringify({ s: sized(PAYLOAD_LIMIT_BYTES + 1) }))).toThrow(expect.objectContaining({ code: "ValidationException" }) as AwsApiError);
    expect(start(JSON.stringify({ s: sized(PAYLOAD_LIMIT_BYTES) }))).toHaveProperty("executionArn");
    const local = new LocalStepFunctions({ clock: recordingClock() });
    local.register({ name: "noop", definition: { StartAt: "Done", States: { Done: { Type: "Succeed" } } } });
    expect(() => local.start("noop", { s: sized(PAYLOAD_LIMIT_BYTES + 1) })).toThrow(ExecutionInputTooLargeError);
  });
});

// "AWS Step Functions has a hard quota of 25,000 entries in the execution event history. When an execution
// reaches 24,999 events, it waits for the next event to happen. If the event number 25,000 is
// ExecutionSucceeded, the execution finishes successfully. If the event number 25,000 isn't
// ExecutionSucceeded, the ExecutionFailed event is logged and the state machine execution fails"
// (Step Functions developer guide, "Avoid reaching the history quota", https://docs.aws.amazon.com/step-functions/latest/dg/bp-history-limit.html).
// The same rule at a small limit (historyEventLimit) so every boundary fits a table; accounting.test.ts runs the real 25,000.
describe("the history cap fails the execution at exactly AWS's boundary", () => {
  const passes = (count: number): Record<string, unknown> =>
    Object.fromEntries(Array.from({ length: count }, (_, index) => [`P${index}`, { Type: "Pass", Next: `P${index + 1}` }]));
  /** A Task (5 events: Entered, Scheduled, Started, Succeeded, Exited), then `count` Passes (2 each), then `end`. */
  const chain = (withTask: boolean, count: number, end: "Succeed" | "Fail") => ({
    StartAt: withTask ? "Work" : "P0",
    States: {
      ...(withTask ? { Work: { Type: "Task", Resource: lambdaArn("work"), Next: "P0" } } : {}),
      ...passes(count),
      [`P${count}`]: end === "Succeed" ? { Type: "Succeed" } : { Type: "Fail", Error: "Custom", Cause: "by design" },
    },
  });
  // Events: ExecutionStarted + states + the outcome: 2N + 4 with Succeed, 2N + 9 with the Task too, 2N + 3 with Fail (FailStateEntered only).
  const rows = [
    { limit: 20, withTask: false, count: 8, end: "Succeed", events: 20, status: "SUCCEEDED", error: undefined, why: "event 20 is ExecutionSucceeded" },
    { limit: 21, withTask: true, count: 6, end: "Succeed", events: 21, status: "SUCCEEDED", error: undefined, why: "event 21 is ExecutionSucceeded (with a Task)" },
    { limit: 20, withTask: true, count: 6, end: "Succeed", events: 20, status: "FAILED", error: "States.Runtime", why: "it would need 21 events: one over" },
    { limit: 20, withTask: true, count: 7, end: "Succeed", events: 20, status: "FAILED", error: "States.Runtime", why: "it would need 23 events" },
    { limit: 19, withTask: false, count: 8, end: "Fail", events: 19, status: "FAILED", error: "States.Runtime", why: "event 19 is not ExecutionSucceeded" },
    { limit: 20, withTask: false, count: 8, end: "Fail", events: 19, status: "FAILED", error: "Custom", why: "under the cap, its own failure" },
  ] as const;

  test.each(rows)("limit $limit, Task $withTask, $count Passes, $end: $status $error ($why)", async (row) => {
    const result = await runStateMachine({
      clock: recordingClock(), definition: chain(row.withTask, row.count, row.end), input: {},
      historyEventLimit: row.limit, handlers: { work: async () => ({}) },
    });
    expect(result.status).toBe(row.status);
    expect(result.error).toBe(row.error);
    const [execution] = result.executions;
    expect(execution?.historyEvents).toBe(row.events);
    expect(execution?.historyEventTypes.at(-1)).toBe(row.status === "SUCCEEDED" ? "ExecutionSucceeded" : "ExecutionFailed");
  });
});
