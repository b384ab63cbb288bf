import { readFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AutoScalingClient, DescribeAutoScalingGroupsCommand, SetDesiredCapacityCommand } from "@aws-sdk/client-auto-scaling";
import { afterEach, describe, expect, it } from "vitest";
import { requestLogFile } from "../../../emulator/protocol/request-log.ts";
import { startEmulatorServer, type EmulatorServer } from "../../../emulator/protocol/server.ts";
import { newWorld } from "../../support/protocol.ts";

let server: EmulatorServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("the emulator's request log", () => {
  it("writes one JSON line per AWS request (service, action, status, real duration, virtual time), none for admin calls", async () => {
    const world = newWorld();
    const path = join(await mkdtemp(join(tmpdir(), "ebb-log-")), "requests.jsonl");
    let realMs = 1000;
    // Each read of the real clock moves it 7 ms: every request takes 7 ms.
    server = await startEmulatorServer(world, { requestLog: requestLogFile(path, () => (realMs += 7)) });
    const autoScaling = new AutoScalingClient({ region: "us-east-1", endpoint: server.url, credentials: { accessKeyId: "x", secretAccessKey: "x" }, maxAttempts: 1 });
    await autoScaling.send(new DescribeAutoScalingGroupsCommand({}));
    await fetch(`${server.url}/_ebb/advance?seconds=30`, { method: "POST" });
    await expect(autoScaling.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: "no-such-group", DesiredCapacity: 1 }))).rejects.toThrow();
    autoScaling.destroy();
    const lines = readFileSync(path, "utf8").trim().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toEqual([
      { service: "autoscaling", action: "DescribeAutoScalingGroups", statusCode: 200, durationMs: 7, virtualTime: "2026-01-01T00:00:00.000Z" },
      { service: "autoscaling", action: "SetDesiredCapacity", statusCode: 400, durationMs: 7, virtualTime: "2026-01-01T00:00:30.000Z" },
    ]);
  });
});
