import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DeployInProgress, LockLost } from "../../core/errors.ts";
import { acquireLock, readLock, releaseLock, renewLock } from "../../core/lock.ts";
import { createRuntime, type Runtime } from "../../core/runtime.ts";
import { startTestDynamo, testTables, type TestDynamo } from "./support/dynamo.ts";

let dynamo: TestDynamo;
let nowMs = Date.parse("2026-01-01T00:00:00Z");
let rt: Runtime;

beforeAll(async () => {
  dynamo = await startTestDynamo();
  rt = createRuntime({
    dynamoDbClientConfig: dynamo.clientConfig,
    clock: { now: () => new Date(nowMs) },
    stage: { stage: "test", autoScalingGroups: ["web"], tables: testTables, lockLeaseSeconds: 600 },
    logLevel: "SILENT",
  });
});
afterAll(async () => {
  await dynamo.db.stop();
});

describe("the per-group lock (dynalite)", () => {
  it("lets one deploy hold the group; a second deploy or a remediation fails fast with DeployInProgress", async () => {
    await acquireLock(rt, "web", "deploy-1", "deploy");
    await expect(acquireLock(rt, "web", "deploy-2", "deploy")).rejects.toThrow(DeployInProgress);
    await expect(acquireLock(rt, "web", "remediation-1", "remediation")).rejects.toThrow(/locked by deploy deploy-1/);
    // Re-entrant for its owner (a retried task).
    await expect(acquireLock(rt, "web", "deploy-1", "deploy")).resolves.toMatchObject({ owner: "deploy-1" });
  });

  it("releases only for its owner, and releasing twice is harmless", async () => {
    expect(await releaseLock(rt, "web", "deploy-2")).toBe(false);
    expect((await readLock(rt, "web"))?.owner).toBe("deploy-1");
    expect(await releaseLock(rt, "web", "deploy-1")).toBe(true);
    expect(await releaseLock(rt, "web", "deploy-1")).toBe(false);
    await expect(acquireLock(rt, "web", "deploy-2", "deploy")).resolves.toMatchObject({ owner: "deploy-2" });
  });

  it("can be taken over once its lease expired; the old owner then loses it", async () => {
    nowMs += 601_000;
    await expect(acquireLock(rt, "web", "deploy-3", "deploy")).resolves.toMatchObject({ owner: "deploy-3" });
    await expect(renewLock(rt, "web", "deploy-2")).rejects.toThrow(LockLost);
    await expect(renewLock(rt, "web", "deploy-3")).resolves.toBeUndefined();
    expect(await releaseLock(rt, "web", "deploy-2")).toBe(false);
  });

  it("renewal extends the lease", async () => {
    nowMs += 500_000;
    await renewLock(rt, "web", "deploy-3");
    nowMs += 500_000;
    await expect(acquireLock(rt, "web", "deploy-4", "deploy")).rejects.toThrow(DeployInProgress);
  });
});
