import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { configureRuntime, resetRuntime } from "../../core/runtime.ts";
import { handler } from "../../functions/lifecycle-event.ts";
import { startTestDynamo, testTables, type TestDynamo } from "../core/support/dynamo.ts";
import { lambdaContext } from "./support.ts";

const sfn = mockClient(SFNClient);
let dynamo: TestDynamo;

const TOKEN = "0000001a-c700-4000-8000-000000000001";
const event = (overrides: Record<string, unknown> = {}, detail: Record<string, unknown> = {}) => ({
  version: "0",
  id: "11111111-2222-4333-8444-555555555555",
  "detail-type": "EC2 Instance-terminate Lifecycle Action",
  source: "aws.autoscaling",
  account: "123456789012",
  time: "2026-01-01T00:00:00Z",
  region: "us-east-1",
  resources: ["arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:1:autoScalingGroupName/web"],
  detail: {
    LifecycleActionToken: TOKEN,
    AutoScalingGroupName: "web",
    LifecycleHookName: "ebb-terminate",
    EC2InstanceId: "i-0123456789abcdef0",
    LifecycleTransition: "autoscaling:EC2_INSTANCE_TERMINATING",
    Origin: "AutoScalingGroup",
    Destination: "EC2",
    ...detail,
  },
  ...overrides,
});

const context = lambdaContext("ebb-dev-lifecycle-event");
const terminateHookArn = "arn:aws:states:us-east-1:123456789012:stateMachine:ebb-dev-terminate-hook";

beforeAll(async () => {
  dynamo = await startTestDynamo();
});
afterAll(async () => {
  resetRuntime();
  await dynamo.db.stop();
});
beforeEach(() => {
  sfn.reset();
  configureRuntime({
    clientConfig: { region: "us-east-1", credentials: { accessKeyId: "AKIATEST", secretAccessKey: "test" } },
    dynamoDbClientConfig: dynamo.clientConfig,
    clock: { now: () => new Date(Date.parse("2026-01-01T00:00:00Z")) },
    stage: { stage: "test", autoScalingGroups: ["web"], tables: testTables },
    logLevel: "SILENT",
  });
});

// EventBridge "delivers at least once": https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html
// StartExecution, Standard workflows: the same name with a closed execution (or another input) is
// ExecutionAlreadyExists — https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html
describe("lifecycle-event handler", () => {
  it("starts the terminate hook workflow next to it, named after the lifecycle action token", async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: `${terminateHookArn.replace("stateMachine", "execution")}:terminate-${TOKEN}` });
    const result = await handler(event({ id: "event-1" }, { LifecycleActionToken: "0000001a-c700-4000-8000-00000000000a" }), context);
    expect(result).toMatchObject({ duplicate: false, ref: { kind: "terminate", instanceId: "i-0123456789abcdef0" } });
    expect(sfn).toHaveReceivedCommandWith(StartExecutionCommand, { stateMachineArn: terminateHookArn, name: "terminate-0000001a-c700-4000-8000-00000000000a" });
  });

  it("answers a duplicate delivery from its idempotency record, without a second StartExecution", async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: "arn:aws:states:us-east-1:123456789012:execution:ebb-dev-terminate-hook:x" });
    const first = await handler(event(), context);
    const second = await handler(event(), context);
    expect(second).toEqual(first);
    expect(sfn).toHaveReceivedCommandTimes(StartExecutionCommand, 1);
  });

  it("treats ExecutionAlreadyExists (the workflow of this action exists) as success", async () => {
    sfn.on(StartExecutionCommand).rejects(new ExecutionAlreadyExists({ message: "Execution Already Exists", $metadata: {} }));
    const result = await handler(event({}, { LifecycleActionToken: "0000001a-c700-4000-8000-00000000000b" }), context);
    expect(result).toMatchObject({ duplicate: true });
    expect(result).not.toHaveProperty("executionArn");
  });

  it("rejects a malformed event with every problem listed, starting nothing", async () => {
    await expect(handler(event({}, { LifecycleActionToken: "not-a-token", EC2InstanceId: "web-1" }), context)).rejects.toMatchObject({
      name: "InvalidEvent",
      message: expect.stringMatching(/2 problems: .*LifecycleActionToken.*EC2InstanceId/),
    });
    expect(sfn).not.toHaveReceivedCommand(StartExecutionCommand);
  });

  it("refuses an Auto Scaling group outside the stage", async () => {
    await expect(handler(event({}, { AutoScalingGroupName: "other", LifecycleActionToken: "0000001a-c700-4000-8000-00000000000c" }), context)).rejects.toMatchObject({ name: "AutoScalingGroupNotAllowed" });
    expect(sfn).not.toHaveReceivedCommand(StartExecutionCommand);
  });
});
