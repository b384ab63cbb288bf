import { GetExecutionHistoryCommand, SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { describe, expect, test } from "vitest";
import { registerStateMachine, stepFunctionsOf } from "../../../emulator/stepfunctions/actions/index.ts";
import { inProcessClientConfig } from "../../../sim/aws-clients.ts";
import { scenarioConfigSchema } from "../../../sim/config/schema.ts";
import { World } from "../../../sim/world.ts";

/**
 * GetExecutionHistory over the wire (AWS JSON 1.0 through the SDK), as the Step Functions API
 * reference describes it: "GetExecutionHistory" (maxResults 0–1000, nextToken, reverseOrder,
 * includeExecutionData) and "HistoryEvent" (id, previousEventId, timestamp, type, and the details
 * member of the type: executionStartedEventDetails, stateEnteredEventDetails, stateExitedEventDetails,
 * executionSucceededEventDetails, executionFailedEventDetails...).
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_GetExecutionHistory.html
 */

const definition = {
  StartAt: "Pause",
  States: {
    Pause: { Type: "Wait", SecondsPath: "$.seconds", Next: "Check" },
    Check: { Type: "Choice", Choices: [{ Variable: "$.fail", BooleanEquals: true, Next: "Broken" }], Default: "Done" },
    Broken: { Type: "Fail", Error: "Ops.Broken", Cause: "asked to fail" },
    Done: { Type: "Pass", End: true },
  },
};

async function run(input: Record<string, unknown>, name: string) {
  const world = new World(scenarioConfigSchema.parse({ scenario: "history" }));
  const machine = registerStateMachine(world, { name: "pause", definition });
  const sfn = new SFNClient(inProcessClientConfig(world));
  const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: machine.arn, name, input: JSON.stringify(input) }));
  await stepFunctionsOf(world).execution(String(executionArn)).done;
  return { sfn, executionArn: String(executionArn) };
}

describe("GetExecutionHistory", () => {
  test("events in order with ids, previous ids, virtual timestamps and their details", async () => {
    const { sfn, executionArn } = await run({ seconds: 90, fail: false }, "ok");
    const { events = [], nextToken } = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    expect(nextToken).toBeUndefined();
    expect(events.map((event) => event.type)).toEqual([
      "ExecutionStarted", "WaitStateEntered", "WaitStateExited", "ChoiceStateEntered", "ChoiceStateExited", "PassStateEntered", "PassStateExited", "ExecutionSucceeded",
    ]);
    expect(events.map((event) => [event.id, event.previousEventId])).toEqual(events.map((_, index) => [index + 1, index]));
    const started = events[0]?.timestamp?.getTime() ?? 0;
    // The Wait moved virtual time 90 s between entering and leaving it.
    expect((events[2]?.timestamp?.getTime() ?? 0) - started).toBe(90_000);
    expect(events[0]?.executionStartedEventDetails?.input).toBe('{"seconds":90,"fail":false}');
    expect(events[1]?.stateEnteredEventDetails).toMatchObject({ name: "Pause", input: '{"seconds":90,"fail":false}' });
    expect(events[6]?.stateExitedEventDetails).toMatchObject({ name: "Done" });
    expect(events[7]?.executionSucceededEventDetails?.output).toBe('{"seconds":90,"fail":false}');
    sfn.destroy();
  });

  test("a failed execution ends with ExecutionFailed and its error and cause", async () => {
    const { sfn, executionArn } = await run({ seconds: 1, fail: true }, "bad");
    const { events = [] } = await sfn.send(new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 1 }));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: "ExecutionFailed", executionFailedEventDetails: { error: "Ops.Broken", cause: "asked to fail" } });
    sfn.destroy();
  });

  test("pages with maxResults and nextToken, newest first with reverseOrder, data left out on request", async () => {
    const { sfn, executionArn } = await run({ seconds: 5, fail: false }, "paged");
    const first = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 3 }));
    expect(first.events?.map((event) => event.id)).toEqual([1, 2, 3]);
    const second = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 3, nextToken: first.nextToken }));
    expect(second.events?.map((event) => event.id)).toEqual([4, 5, 6]);
    const reversed = await sfn.send(new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 2 }));
    expect(reversed.events?.map((event) => event.type)).toEqual(["ExecutionSucceeded", "PassStateExited"]);
    const bare = await sfn.send(new GetExecutionHistoryCommand({ executionArn, includeExecutionData: false, maxResults: 2 }));
    expect(bare.events?.[1]?.stateEnteredEventDetails).toEqual({ name: "Pause" });
    await expect(sfn.send(new GetExecutionHistoryCommand({ executionArn: `${executionArn}x` }))).rejects.toMatchObject({ name: "ExecutionDoesNotExist" });
    sfn.destroy();
  });
});
