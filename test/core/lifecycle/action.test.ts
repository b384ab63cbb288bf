import {
  AutoScalingClient,
  AutoScalingServiceException,
  CompleteLifecycleActionCommand,
  RecordLifecycleActionHeartbeatCommand,
} from "@aws-sdk/client-auto-scaling";
import { mockClient } from "aws-sdk-client-mock";
import { allCustomMatcher } from "aws-sdk-client-mock-vitest";
import "aws-sdk-client-mock-vitest/extend";
import { beforeEach, describe, expect, it } from "vitest";
import { completeAction, recordHeartbeat } from "../../../core/lifecycle/action.ts";
import { createRuntime, type Runtime } from "../../../core/runtime.ts";
import { testTables } from "../support/dynamo.ts";

expect.extend(allCustomMatcher);

const autoScaling = mockClient(AutoScalingClient);
const ref = { kind: "terminate" as const, autoScalingGroupName: "web", lifecycleHookName: "ebb-terminate", token: "token-1", instanceId: "i-0123456789abcdef0" };

const runtime = (): Runtime =>
  createRuntime({
    clientConfig: { region: "us-east-1", credentials: { accessKeyId: "AKIATEST", secretAccessKey: "test" } },
    clock: { now: () => new Date(Date.parse("2026-01-01T00:00:00Z")) },
    stage: { stage: "test", autoScalingGroups: ["web"], tables: testTables },
    logLevel: "SILENT",
  });

// Auto Scaling's answer for an action that already ended (CompleteLifecycleAction API reference:
// "ValidationError", "No active Lifecycle Action found with token ...").
const serviceError = (name: string, message: string) => new AutoScalingServiceException({ name, message, $fault: "client", $metadata: {} });
const notActive = () => serviceError("ValidationError", "No active Lifecycle Action found with token token-1");

beforeEach(() => autoScaling.reset());

describe("lifecycle action calls", () => {
  it("completes with the action's key and result", async () => {
    autoScaling.on(CompleteLifecycleActionCommand).resolves({});
    await expect(completeAction(runtime(), ref, "ABANDON")).resolves.toBe("completed");
    expect(autoScaling).toHaveReceivedCommandWith(CompleteLifecycleActionCommand, {
      AutoScalingGroupName: "web",
      LifecycleHookName: "ebb-terminate",
      LifecycleActionToken: "token-1",
      InstanceId: ref.instanceId,
      LifecycleActionResult: "ABANDON",
    });
  });

  it("reads 'No active Lifecycle Action found' as final for both completion and heartbeat, sending once", async () => {
    autoScaling.on(CompleteLifecycleActionCommand).rejects(notActive());
    autoScaling.on(RecordLifecycleActionHeartbeatCommand).rejects(notActive());
    await expect(completeAction(runtime(), ref, "CONTINUE")).resolves.toBe("not-active");
    await expect(recordHeartbeat(runtime(), ref)).resolves.toBe("not-active");
    expect(autoScaling).toHaveReceivedCommandTimes(CompleteLifecycleActionCommand, 1);
    expect(autoScaling).toHaveReceivedCommandTimes(RecordLifecycleActionHeartbeatCommand, 1);
  });

  it("lets every other error through, so the workflow's retry policy sees it", async () => {
    autoScaling.on(RecordLifecycleActionHeartbeatCommand).rejects(serviceError("Throttling", "Rate exceeded"));
    autoScaling.on(CompleteLifecycleActionCommand).rejects(serviceError("ValidationError", "Invalid lifecycle action result"));
    await expect(recordHeartbeat(runtime(), ref)).rejects.toThrow("Rate exceeded");
    await expect(completeAction(runtime(), ref, "CONTINUE")).rejects.toThrow("Invalid lifecycle action result");
  });
});
