import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { createDeploy, getDeploy } from "../../core/deploy-store.ts";
import { underLease } from "../../core/deploy/lease.ts";
import { AutoScalingGroupNotAllowed, DeployInProgress, DeployLockLost } from "../../core/errors.ts";
import { LOCK_TTL_GRACE_SECONDS, acquireLock, readLock, releaseLock, renewLock } from "../../core/lock.ts";
import { LOCK_KEY, LOCK_TTL_ATTRIBUTE } from "../../core/tables.ts";
import type { DeployInput } from "../../core/types.ts";
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
    await expect(renewLock(rt, "web", "deploy-2")).rejects.toThrow(/deploy deploy-2 lost the lock on "web" \(now held by deploy deploy-3\)/);
    await expect(renewLock(rt, "web", "deploy-3")).resolves.toBeUndefined();
    expect(await releaseLock(rt, "web", "deploy-2")).toBe(false);
  });

  it("renewal extends the lease", async () => {
    nowMs += 500_000;
    await renewLock(rt, "web", "deploy-3");
    nowMs += 500_000;
    await expect(acquireLock(rt, "web", "deploy-4", "deploy")).rejects.toThrow(DeployInProgress);
  });

  it("renews a lapsed lease that nobody took over: nothing else can have touched the group", async () => {
    nowMs += 601_000;
    await expect(renewLock(rt, "web", "deploy-3")).resolves.toBeUndefined();
    await expect(acquireLock(rt, "web", "deploy-4", "deploy")).rejects.toThrow(DeployInProgress);
  });

  // DynamoDB deletes expired items "on a best-effort basis", "typically ... within two days of
  // expiration" (DynamoDB developer guide, "Time to Live (TTL)",
  // https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/howitworks-ttl.html): a TTL on
  // the lease would let DynamoDB delete a lock whose holder renews it a little late.
  it("keeps the table's TTL a week past the lease, renewed with it", async () => {
    const ttlOf = async () => {
      const { Item } = await rt.clients.dynamo.send(new GetCommand({ TableName: testTables.locks, Key: { [LOCK_KEY]: "asg#web" }, ConsistentRead: true }));
      return { lease: Number(Item?.["leaseExpiresAt"]), ttl: Number(Item?.[LOCK_TTL_ATTRIBUTE]) };
    };
    const before = await ttlOf();
    expect(before.ttl - before.lease).toBe(LOCK_TTL_GRACE_SECONDS);
    expect(LOCK_TTL_GRACE_SECONDS).toBeGreaterThanOrEqual(7 * 24 * 3600);
    nowMs += 100_000;
    await renewLock(rt, "web", "deploy-3");
    const after = await ttlOf();
    expect(after.lease).toBe(before.lease + 100);
    expect(after.ttl).toBe(after.lease + LOCK_TTL_GRACE_SECONDS);
  });
});

describe("deploy steps under the lease", () => {
  const input = { autoScalingGroupName: "web" } as unknown as DeployInput;
  const record = (deployId: string) => ({
    deployId, autoScalingGroupName: "web", status: "InProgress" as const, input, targetVersion: "2",
    startedAt: new Date(nowMs).toISOString(), updatedAt: new Date(nowMs).toISOString(),
  });
  const longPoll = underLease(async () => ({ done: false, waitSeconds: 7200 }));

  it("renews the lease on every poll and waits at most a quarter of it", async () => {
    await releaseLock(rt, "web", "deploy-3");
    await acquireLock(rt, "web", "deploy-5", "deploy");
    await createDeploy(rt, record("deploy-5"));
    for (let poll = 0; poll < 6; poll += 1) {
      const result = await longPoll({ deployId: "deploy-5" }, rt);
      expect(result.waitSeconds).toBe(150);
      nowMs += result.waitSeconds * 1000;
      // Three polls of a 600 s lease later, nobody may take the lock.
      await expect(acquireLock(rt, "web", "deploy-6", "deploy")).rejects.toThrow(DeployInProgress);
    }
  });

  it("stops a deploy that lost its lock before its step runs, and records why", async () => {
    nowMs += 601_000;
    await acquireLock(rt, "web", "deploy-6", "deploy");
    let ran = false;
    const mutating = underLease(async () => {
      ran = true;
      return {};
    });
    await expect(mutating({ deployId: "deploy-5" }, rt)).rejects.toThrow(DeployLockLost);
    expect(ran).toBe(false);
    expect((await getDeploy(rt, "deploy-5")).outcome).toMatchObject({ status: "Failed", cause: expect.stringMatching(/now held by deploy deploy-6/) });
    expect((await readLock(rt, "web"))?.owner).toBe("deploy-6");
  });

  it("refuses, in every step, a deploy whose group the stage does not list", async () => {
    await createDeploy(rt, { ...record("deploy-7"), autoScalingGroupName: "billing" });
    await expect(longPoll({ deployId: "deploy-7" }, rt)).rejects.toThrow(AutoScalingGroupNotAllowed);
  });
});
