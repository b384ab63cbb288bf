import { SendCommandCommand, SSMClient } from "@aws-sdk/client-ssm";
import { mockClient } from "aws-sdk-client-mock";
import { allCustomMatcher } from "aws-sdk-client-mock-vitest";
import "aws-sdk-client-mock-vitest/extend";
import { beforeEach, describe, expect, it } from "vitest";
import { DRAIN_DOCUMENT, signalUndrain } from "../../../core/drain/signal.ts";
import { createRuntime, type Runtime } from "../../../core/runtime.ts";
import { testTables } from "../support/dynamo.ts";

expect.extend(allCustomMatcher);

const ssm = mockClient(SSMClient);

const runtimeWith = (stage: Record<string, unknown> = {}): Runtime =>
  createRuntime({
    clientConfig: { region: "us-east-1", credentials: { accessKeyId: "AKIATEST", secretAccessKey: "test" } },
    clock: { now: () => new Date(Date.parse("2026-01-01T00:00:00Z")) },
    stage: { stage: "test", autoScalingGroups: ["web"], tables: testTables, ...stage },
    logLevel: "SILENT",
  });

const instanceIds = (count: number): string[] => Array.from({ length: count }, (_, i) => `i-${String(i).padStart(17, "0")}`);

beforeEach(() => {
  ssm.reset();
  let sequence = 0;
  ssm.on(SendCommandCommand).callsFake(() => ({ Command: { CommandId: `command-${++sequence}` } }));
});

describe("signalUndrain", () => {
  it("sends the stage's undrainCommand (default ebb-undrain) to exactly those instances, with the drain document", async () => {
    const commandIds = await signalUndrain(runtimeWith(), ["i-a", "i-b"], "ssm");
    expect(commandIds).toEqual(["command-1"]);
    expect(ssm).toHaveReceivedCommandTimes(SendCommandCommand, 1);
    expect(ssm).toHaveReceivedCommandWith(SendCommandCommand, {
      DocumentName: DRAIN_DOCUMENT,
      InstanceIds: ["i-a", "i-b"],
      Parameters: { commands: ["ebb-undrain"] },
    });
  });

  it("uses a configured undrainCommand and splits large fleets into SSM-sized commands, each instance once", async () => {
    const ids = instanceIds(120);
    const commandIds = await signalUndrain(runtimeWith({ undrainCommand: "/opt/app/bin/resume" }), ids, "ssm");
    expect(commandIds).toEqual(["command-1", "command-2", "command-3"]);
    const sent = ssm.commandCalls(SendCommandCommand).map((call) => call.args[0].input);
    expect(sent.every((input) => (input.InstanceIds ?? []).length <= 50)).toBe(true);
    expect(sent.flatMap((input) => input.InstanceIds ?? [])).toEqual(ids);
    expect(sent.every((input) => input.Parameters?.["commands"]?.[0] === "/opt/app/bin/resume")).toBe(true);
  });

  it("sends nothing when the deploy never signalled the app (drain.signal none) or there is nobody to tell", async () => {
    expect(await signalUndrain(runtimeWith(), ["i-a", "i-b"], "none")).toEqual([]);
    expect(await signalUndrain(runtimeWith(), [], "ssm")).toEqual([]);
    expect(ssm).not.toHaveReceivedCommand(SendCommandCommand);
  });
});
