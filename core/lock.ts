import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { DeployInProgress, LockLost } from "./errors.ts";
import { isConditionalCheckFailure } from "./dynamo.ts";
import type { Runtime } from "./runtime.ts";
import { LOCK_KEY, LOCK_TTL_ATTRIBUTE } from "./tables.ts";

/**
 * One lock per Auto Scaling group, shared by deploys and remediation. It is a lease: the holder
 * renews it while working; once expired anyone may take it over (an abandoned execution cannot
 * block the group forever). Release and renewal are conditional on the owner.
 */

export type LockKind = "deploy" | "remediation";

export interface LockItem {
  lockId: string;
  owner: string;
  kind: LockKind;
  acquiredAt: string;
  /** Epoch seconds (also the table's TTL attribute). */
  expiresAt: number;
}

const lockIdFor = (groupName: string): string => `asg#${groupName}`;

const epochSeconds = (date: Date): number => Math.floor(date.getTime() / 1000);

/** Takes the group's lock for `owner`, or throws DeployInProgress naming the holder. Re-entrant for the same owner. */
export async function acquireLock(rt: Runtime, groupName: string, owner: string, kind: LockKind): Promise<LockItem> {
  const now = rt.clock.now();
  const item: LockItem = {
    lockId: lockIdFor(groupName),
    owner,
    kind,
    acquiredAt: now.toISOString(),
    expiresAt: epochSeconds(now) + rt.stage.lockLeaseSeconds,
  };
  try {
    await rt.clients.dynamo.send(
      new PutCommand({
        TableName: rt.stage.tables.locks,
        Item: item,
        ConditionExpression: "attribute_not_exists(#key) OR #expires < :now OR #owner = :owner",
        ExpressionAttributeNames: { "#key": LOCK_KEY, "#expires": LOCK_TTL_ATTRIBUTE, "#owner": "owner" },
        ExpressionAttributeValues: { ":now": epochSeconds(now), ":owner": owner },
      }),
    );
    return item;
  } catch (error) {
    if (!isConditionalCheckFailure(error)) throw error;
    const holder = await readLock(rt, groupName);
    throw new DeployInProgress(
      groupName,
      holder?.owner ?? "another execution",
      holder?.kind ?? "deploy",
      holder === undefined ? "unknown" : new Date(holder.expiresAt * 1000).toISOString(),
    );
  }
}

export async function readLock(rt: Runtime, groupName: string): Promise<LockItem | undefined> {
  const response = await rt.clients.dynamo.send(
    new GetCommand({ TableName: rt.stage.tables.locks, Key: { [LOCK_KEY]: lockIdFor(groupName) }, ConsistentRead: true }),
  );
  return response.Item as LockItem | undefined;
}

/** Extends the lease; throws LockLost if another owner took it over. */
export async function renewLock(rt: Runtime, groupName: string, owner: string): Promise<void> {
  try {
    await rt.clients.dynamo.send(
      new UpdateCommand({
        TableName: rt.stage.tables.locks,
        Key: { [LOCK_KEY]: lockIdFor(groupName) },
        UpdateExpression: "SET #expires = :expires",
        ConditionExpression: "#owner = :owner",
        ExpressionAttributeNames: { "#expires": LOCK_TTL_ATTRIBUTE, "#owner": "owner" },
        ExpressionAttributeValues: { ":expires": epochSeconds(rt.clock.now()) + rt.stage.lockLeaseSeconds, ":owner": owner },
      }),
    );
  } catch (error) {
    if (isConditionalCheckFailure(error)) throw new LockLost(groupName, owner);
    throw error;
  }
}

/** Releases the lock if `owner` still holds it; releasing twice (or after a takeover) does nothing. */
export async function releaseLock(rt: Runtime, groupName: string, owner: string): Promise<boolean> {
  try {
    await rt.clients.dynamo.send(
      new DeleteCommand({
        TableName: rt.stage.tables.locks,
        Key: { [LOCK_KEY]: lockIdFor(groupName) },
        ConditionExpression: "#owner = :owner",
        ExpressionAttributeNames: { "#owner": "owner" },
        ExpressionAttributeValues: { ":owner": owner },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionalCheckFailure(error)) return false;
    throw error;
  }
}
