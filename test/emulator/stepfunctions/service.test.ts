import { describe, expect, test } from "vitest";
import { AwsApiError } from "../../../emulator/protocol/errors.ts";
import { registerStateMachine, stepFunctionsOf, stepFunctionsService } from "../../../emulator/stepfunctions/actions/index.ts";
import type { World } from "../../../sim/world.ts";
import { START_MS, testHost } from "./support.ts";

const definition = {
  StartAt: "Pause",
  States: { Pause: { Type: "Wait", SecondsPath: "$.seconds", Next: "Done" }, Done: { Type: "Pass", End: true } },
};
const SM_ARN = "arn:aws:states:us-east-1:123456789012:stateMachine:pause";

function setup() {
  const host = testHost();
  registerStateMachine(host, { name: "pause", definition });
  // The service only touches the StepFunctionsHost slice of World.
  const context = { world: host as unknown as World, requestId: "r-1" };
  const call = (action: string, params: Record<string, unknown>) => {
    const handler = stepFunctionsService.actions[action];
    if (handler === undefined) throw new Error(`no action ${action}`);
    return handler(params, context) ?? {};
  };
  const codeOf = (action: string, params: Record<string, unknown>): string => {
    try {
      call(action, params);
    } catch (error) {
      if (error instanceof AwsApiError) return error.code;
      throw error;
    }
    return "no error";
  };
  return { host, call, codeOf };
}

describe("stepFunctionsService", () => {
  test("StartExecution runs asynchronously; DescribeExecution reports RUNNING then SUCCEEDED with output", async () => {
    const { host, call } = setup();
    const started = call("StartExecution", { stateMachineArn: SM_ARN, name: "first", input: JSON.stringify({ seconds: 90 }) });
    expect(started).toEqual({ executionArn: "arn:aws:states:us-east-1:123456789012:execution:pause:first", startDate: new Date(START_MS) });
    expect(call("DescribeExecution", { executionArn: started.executionArn })).toMatchObject({ status: "RUNNING", input: '{"seconds":90}' });
    await stepFunctionsOf(host).execution(String(started.executionArn)).done;
    expect(call("DescribeExecution", { executionArn: started.executionArn })).toMatchObject({
      status: "SUCCEEDED", output: '{"seconds":90}', stopDate: new Date(START_MS + 90_000),
    });
    expect(host.flushes).toBe(1);
  });

  test("errors carry AWS codes", () => {
    const { call, codeOf } = setup();
    expect(codeOf("StartExecution", { stateMachineArn: `${SM_ARN}x` })).toBe("StateMachineDoesNotExist");
    expect(codeOf("StartExecution", { stateMachineArn: "not-an-arn" })).toBe("InvalidArn");
    expect(codeOf("StartExecution", { stateMachineArn: SM_ARN, input: "{oops" })).toBe("InvalidExecutionInput");
    expect(codeOf("StartExecution", { stateMachineArn: SM_ARN, name: "has space" })).toBe("InvalidName");
    expect(codeOf("StartExecution", { stateMachineArn: 42 })).toBe("ValidationException");
    call("StartExecution", { stateMachineArn: SM_ARN, name: "once", input: '{"seconds":5}' });
    // Same name and input while running: idempotent; different input: ExecutionAlreadyExists.
    expect(codeOf("StartExecution", { stateMachineArn: SM_ARN, name: "once", input: '{"seconds":5}' })).toBe("no error");
    expect(codeOf("StartExecution", { stateMachineArn: SM_ARN, name: "once", input: '{"seconds":6}' })).toBe("ExecutionAlreadyExists");
    expect(codeOf("DescribeExecution", { executionArn: "arn:aws:states:us-east-1:123456789012:execution:pause:nope" })).toBe("ExecutionDoesNotExist");
  });

  test("StopExecution aborts a running execution without moving time", async () => {
    const { host, call, codeOf } = setup();
    const { executionArn } = call("StartExecution", { stateMachineArn: SM_ARN, input: '{"seconds":3600}' });
    expect(call("StopExecution", { executionArn, error: "Operator", cause: "cancelled" })).toEqual({ stopDate: new Date(START_MS) });
    const summary = await stepFunctionsOf(host).execution(String(executionArn)).done;
    expect(summary).toMatchObject({ status: "ABORTED", error: "Operator", cause: "cancelled" });
    expect(host.clock.nowMs).toBe(START_MS);
    expect(codeOf("StopExecution", { executionArn })).toBe("ValidationException");
  });

  test("every start and end is published as AWS's Step Functions Execution Status Change event", async () => {
    const { host, call } = setup();
    const succeeded = String(call("StartExecution", { stateMachineArn: SM_ARN, name: "quick", input: '{"seconds":5}' }).executionArn);
    const stopped = String(call("StartExecution", { stateMachineArn: SM_ARN, name: "long", input: '{"seconds":3600}' }).executionArn);
    call("StopExecution", { executionArn: stopped, error: "Operator", cause: "cancelled" });
    await Promise.all(stepFunctionsOf(host).executions().map((execution) => execution.done));
    const envelope = { source: "aws.states", "detail-type": "Step Functions Execution Status Change" };
    const common = (executionArn: string, name: string, input: string) => ({
      executionArn, stateMachineArn: SM_ARN, name, startDate: START_MS, input, inputDetails: { included: true },
    });
    expect(host.published).toEqual([
      { ...envelope, resources: [succeeded], detail: { ...common(succeeded, "quick", '{"seconds":5}'), status: "RUNNING", stopDate: null, output: null, outputDetails: null, error: null, cause: null } },
      { ...envelope, resources: [stopped], detail: { ...common(stopped, "long", '{"seconds":3600}'), status: "RUNNING", stopDate: null, output: null, outputDetails: null, error: null, cause: null } },
      { ...envelope, resources: [stopped], detail: { ...common(stopped, "long", '{"seconds":3600}'), status: "ABORTED", stopDate: START_MS, output: null, outputDetails: null, error: "Operator", cause: "cancelled" } },
      {
        ...envelope, resources: [succeeded],
        detail: { ...common(succeeded, "quick", '{"seconds":5}'), status: "SUCCEEDED", stopDate: START_MS + 5000, output: '{"seconds":5}', outputDetails: { included: true }, error: null, cause: null },
      },
    ]);
  });

  test("ListExecutions (newest first, filtered, paginated), ListStateMachines and DescribeStateMachine", async () => {
    const { host, call } = setup();
    for (const name of ["a", "b", "c"]) call("StartExecution", { stateMachineArn: SM_ARN, name, input: '{"seconds":1}' });
    await Promise.all(stepFunctionsOf(host).executions().map((execution) => execution.done));
    const firstPage = call("ListExecutions", { stateMachineArn: SM_ARN, maxResults: 2 });
    expect((firstPage.executions as { name: string }[]).map((execution) => execution.name)).toEqual(["c", "b"]);
    const secondPage = call("ListExecutions", { stateMachineArn: SM_ARN, maxResults: 2, nextToken: firstPage.nextToken });
    expect(secondPage).toMatchObject({ executions: [{ name: "a", status: "SUCCEEDED" }] });
    expect(call("ListExecutions", { stateMachineArn: SM_ARN, statusFilter: "RUNNING" })).toEqual({ executions: [] });
    expect(call("ListStateMachines", {})).toEqual({ stateMachines: [{ stateMachineArn: SM_ARN, name: "pause", type: "STANDARD", creationDate: new Date(START_MS) }] });
    expect(call("DescribeStateMachine", { stateMachineArn: SM_ARN })).toMatchObject({ name: "pause", status: "ACTIVE", definition: JSON.stringify(definition) });
  });
});
