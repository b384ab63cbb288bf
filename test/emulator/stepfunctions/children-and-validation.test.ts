import { describe, expect, test } from "vitest";
import { InvalidDefinitionError, prepareDefinition, runStateMachine, UnsupportedDefinitionError, validateDefinition } from "../../../emulator/stepfunctions/index.ts";
import { lambdaArn, NamedError, recordingClock, START_MS } from "./support.ts";

const child = {
  StartAt: "Settle",
  States: {
    Settle: { Type: "Wait", Seconds: 60, Next: "Double" },
    Double: { Type: "Task", Resource: lambdaArn("double"), End: true },
  },
};
const parent = (resource: string) => ({
  StartAt: "RunChild",
  States: {
    RunChild: {
      Type: "Task",
      Resource: resource,
      Parameters: { StateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:child", Input: { "n.$": "$.n" } },
      ResultSelector: { "output.$": "$.Output", "status.$": "$.Status", "arn.$": "$.ExecutionArn" },
      ResultPath: "$.child",
      End: true,
    },
  },
});
const double = async (event: unknown) => ({ n: (event as { n: number }).n * 2 });

describe("child executions (startExecution.sync)", () => {
  test(".sync:2 returns the child's output as JSON, with separate accounting", async () => {
    const clock = recordingClock();
    const result = await runStateMachine({
      clock, name: "parent", definition: parent("arn:aws:states:::states:startExecution.sync:2"), input: { n: 21 },
      handlers: { double }, stateMachines: [{ name: "child", definition: child }],
    });
    expect(result.status).toBe("SUCCEEDED");
    const [root, started] = result.executions;
    expect(result.output).toEqual({ n: 21, child: { output: { n: 42 }, status: "SUCCEEDED", arn: started?.executionArn } });
    expect(started).toMatchObject({ stateMachineName: "child", parentArn: root?.executionArn, status: "SUCCEEDED", stateTransitions: 2, historyEvents: 9 });
    expect(started?.stopMs).toBe(START_MS + 60_000);
    expect(root).toMatchObject({ stateTransitions: 1, historyEvents: 8 });
    expect(root?.historyEventTypes).toEqual([
      "ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSubmitted", "TaskSucceeded", "TaskStateExited", "ExecutionSucceeded",
    ]);
  });

  test(".sync returns Output as a JSON string", async () => {
    const result = await runStateMachine({
      clock: recordingClock(), definition: parent("arn:aws:states:::states:startExecution.sync"), input: { n: 1 },
      handlers: { double }, stateMachines: [{ name: "child", definition: child }],
    });
    expect(result.output).toMatchObject({ child: { output: JSON.stringify({ n: 2 }) } });
  });

  test("a failed child fails the parent Task with States.TaskFailed and the child's error in the cause", async () => {
    const broken = async () => {
      throw new NamedError("InstanceGoneError", "i-123 terminated");
    };
    const result = await runStateMachine({
      clock: recordingClock(), definition: parent("arn:aws:states:::states:startExecution.sync:2"), input: { n: 1 },
      handlers: { double: broken }, stateMachines: [{ name: "child", definition: child }],
    });
    expect(result).toMatchObject({ status: "FAILED", error: "States.TaskFailed" });
    expect(JSON.parse(result.cause ?? "")).toMatchObject({ Status: "FAILED", Error: "InstanceGoneError" });
    expect(result.executions[1]).toMatchObject({ status: "FAILED", error: "InstanceGoneError" });
  });
});

describe("definitions the runner cannot run faithfully are rejected up front", () => {
  test("every unsupported field and state is listed", () => {
    const definition = {
      StartAt: "A",
      States: {
        A: { Type: "Pass", Assign: { x: 1 }, ResultPath: "$", Next: "B" },
        B: { Type: "Task", QueryLanguage: "JSONata", Resource: "arn:aws:states:::sqs:sendMessage.waitForTaskToken", Arguments: {}, Next: "C" },
        C: {
          Type: "Map",
          ItemReader: { Resource: "arn:aws:states:::s3:getObject" },
          ItemProcessor: { ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" }, StartAt: "Item", States: { Item: { Type: "Pass", End: true } } },
          Next: "D",
        },
        D: { Type: "Pass", QueryLanguage: "JSONata", Output: "{% $states.input %}", End: true },
      },
    };
    let thrown: unknown;
    try {
      prepareDefinition("bad", definition, {});
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UnsupportedDefinitionError);
    const text = (thrown as UnsupportedDefinitionError).problems.join("\n");
    for (const fragment of ['"A": field "Assign"', '"A": ResultPath "$"', '"B": task tokens', '"B": field "Arguments"', '"C": distributed Map',
      '"C": Map field "ItemReader"', '"D": QueryLanguage JSONata', '"D": field "Output"']) {
      expect(text).toContain(fragment);
    }
  });

  // CreateStateMachine rejects an invalid definition first (InvalidDefinition); only a valid one is checked for local gaps.
  test("asl-validator errors are an InvalidDefinition; a valid definition with no handler is unsupported", () => {
    const definition = { StartAt: "Go", States: { Go: { Type: "Task", Resource: lambdaArn("missing"), Next: "Nowhere" }, Orphan: { Type: "Succeed" } } };
    expect(validateDefinition(definition)).toEqual(expect.arrayContaining([
      expect.stringContaining("Nowhere"), expect.stringContaining("Orphan"),
    ]));
    expect(() => prepareDefinition("bad", definition, {})).toThrow(InvalidDefinitionError);
    const valid = { StartAt: "Go", States: { Go: { Type: "Task", Resource: lambdaArn("missing"), End: true } } };
    expect(() => prepareDefinition("bad", valid, {})).toThrow(/no handler for Resource .*function:missing/);
  });

  test("a definition the runner supports validates clean", () => {
    expect(validateDefinition(child)).toEqual([]);
  });

  test("runStateMachine refuses to start an unsupported definition", async () => {
    const definition = { StartAt: "A", States: { A: { Type: "Pass", QueryLanguage: "JSONata", Output: {}, End: true } } };
    await expect(runStateMachine({ clock: recordingClock(), definition, input: {} })).rejects.toThrow(UnsupportedDefinitionError);
  });
});
