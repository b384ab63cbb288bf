import { CreateStateMachineCommand, DescribeExecutionCommand, DescribeStateMachineCommand, SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { describe, expect, it } from "vitest";
import { stepFunctionsOf, stepFunctionsService } from "../../../emulator/stepfunctions/actions/index.ts";
import type { World } from "../../../sim/world.ts";
import { clientConfigFor, newWorld, rejection } from "../../support/protocol.ts";

/*
 * CreateStateMachine, AWS Step Functions API Reference
 * (https://docs.aws.amazon.com/step-functions/latest/apireference/API_CreateStateMachine.html):
 * "CreateStateMachine is an idempotent API. Subsequent requests won't create a duplicate resource
 * if it was already created. CreateStateMachine's idempotency check is based on the state machine
 * name, definition, type, LoggingConfiguration, and TracingConfiguration. ... If a following
 * request has a different roleArn or tags, Step Functions will ignore these differences and treat
 * it as an idempotent request of the previous. In this case, roleArn and tags will not be
 * updated." Errors: InvalidDefinition, InvalidName, InvalidArn, StateMachineAlreadyExists.
 */

const ROLE = "arn:aws:iam::123456789012:role/ebb-states";
const waitThenPass = { StartAt: "Pause", States: { Pause: { Type: "Wait", Seconds: 30, Next: "Done" }, Done: { Type: "Pass", End: true } } };
// CreateStateMachine's own rule (Step Functions developer guide, "Error names"): States.ALL must be alone and last.
const allNotLast = {
  StartAt: "Work",
  States: {
    Work: { Type: "Pass", End: true, Catch: undefined },
    Retrying: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Parameters: { FunctionName: "f" }, Retry: [{ ErrorEquals: ["States.ALL"] }, { ErrorEquals: ["States.Timeout"] }], End: true },
  },
};

const sfn = (world: World) => new SFNClient(clientConfigFor(world, { states: stepFunctionsService }));
const create = (world: World, name: string, definition: unknown, roleArn = ROLE) =>
  sfn(world).send(new CreateStateMachineCommand({ name, definition: typeof definition === "string" ? definition : JSON.stringify(definition), roleArn }));

describe("Step Functions CreateStateMachine over the wire (API Reference: CreateStateMachine)", () => {
  it("creates a machine an execution then runs on virtual time, with the role it was given", async () => {
    const world = newWorld();
    const created = await create(world, "pause", waitThenPass);
    expect(created.stateMachineArn).toBe("arn:aws:states:us-east-1:123456789012:stateMachine:pause");
    expect(created.creationDate).toEqual(world.clock.now());
    const described = await sfn(world).send(new DescribeStateMachineCommand({ stateMachineArn: created.stateMachineArn }));
    expect(described).toMatchObject({ name: "pause", roleArn: ROLE, type: "STANDARD", status: "ACTIVE" });
    expect(JSON.parse(described.definition ?? "")).toEqual(waitThenPass);

    const startedAtMs = world.clock.nowMs;
    const { executionArn } = await sfn(world).send(new StartExecutionCommand({ stateMachineArn: created.stateMachineArn, input: '{"n":1}' }));
    await stepFunctionsOf(world).execution(executionArn ?? "").done;
    const execution = await sfn(world).send(new DescribeExecutionCommand({ executionArn }));
    expect(execution).toMatchObject({ status: "SUCCEEDED", output: '{"n":1}' });
    expect(execution.stopDate?.getTime()).toBe(startedAtMs + 30_000);
  });

  it("is idempotent on name and definition: the same again returns the first machine and keeps its role; another definition is refused", async () => {
    const world = newWorld();
    const first = await create(world, "pause", waitThenPass);
    world.advance(60);
    const again = await create(world, "pause", waitThenPass, "arn:aws:iam::123456789012:role/other");
    expect(again).toMatchObject({ stateMachineArn: first.stateMachineArn, creationDate: first.creationDate });
    expect(await sfn(world).send(new DescribeStateMachineCommand({ stateMachineArn: first.stateMachineArn }))).toMatchObject({ roleArn: ROLE });
    const changed = { ...waitThenPass, States: { ...waitThenPass.States, Pause: { Type: "Wait", Seconds: 31, Next: "Done" } } };
    expect((await rejection(create(world, "pause", changed))).name).toBe("StateMachineAlreadyExists");
  });

  it("refuses what AWS refuses with AWS's codes, creating nothing", async () => {
    const world = newWorld();
    const refusals = [
      [await rejection(create(world, "has space", waitThenPass)), "InvalidName"],
      [await rejection(create(world, "broken", "{ not json")), "InvalidDefinition"],
      [await rejection(create(world, "array", "[]")), "InvalidDefinition"],
      [await rejection(create(world, "all-not-last", allNotLast)), "InvalidDefinition"],
      [await rejection(create(world, "no-start", { States: {} })), "InvalidDefinition"],
      [await rejection(create(world, "role", waitThenPass, "not-a-role")), "InvalidArn"],
    ] as const;
    expect(refusals.map(([error]) => error.name)).toEqual(refusals.map(([, code]) => code));
    expect(refusals[1][0].message).toMatch(/^Invalid State Machine Definition: 'INVALID_JSON_DESCRIPTION: /);
    expect(refusals[3][0].message).toMatch(/States\.ALL/);
    expect(stepFunctionsOf(world).stateMachines()).toEqual([]);
  });
});
