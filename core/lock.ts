import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { AutoScalingGroupNotAllowed, DeployInProgress, DeployLockLost } from "./errors.ts";
import { isConditionalCheckFailure } from "./dynamo.ts";
import type { Runtime } from "./runtime.ts";
import { LOCK_KEY, LOCK_TTL_ATTRIBUTE } from "./tables.ts";

/**
 * One lock per Auto Scaling group, shared by deploys and remediation. It is a lease: the holder
 * renews it while working; once expired anyone may take it over (an abandoned execution cannot
 * block the group forever). Release and renewal are conditional on the owner.
 *
 * The lease is not the table's TTL. DynamoDB "deletes expired items on a best-effort basis" and
 * "typically ... within two days of expiration" (DynamoDB developer guide, "Time to Live (TTL)",
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/howitworks-ttl.html; API
 * reference, UpdateTimeToLive): any moment after the TTL. With the TTL on the lease, a holder
 * renewing a little late could have its live lock deleted and taken by another deploy. The TTL is
 * therefore a week past the lease, and only tidies locks nobody renews.
 */

export type LockKind = "deploy" | "remediation" | "drain";

export interface LockItem {
  lockId: string;
  owner: string;
  kind: LockKind;
  acquiredAt: string;
  /** Epoch seconds after which another owner may take the lock over. */
  leaseExpiresAt: number;
  /** Epoch seconds: the table's TTL attribute, far past the lease (see above). */
  expiresAt: number;
}

/** How long past its lease an unrenewed lock stays in the table before TTL may delete it. */
export const LOCK_TTL_GRACE_SECONDS = 7 * 24 * 3600;
const LEASE_ATTRIBUTE = "leaseExpiresAt";

/** Every step that takes or holds a group's lock refuses a group the stage does not list. */
export function assertGroupInStage(rt: Runtime, groupName: string): void {
  if (!rt.stage.autoScalingGroups.includes(groupName)) throw new AutoScalingGroupNotAllowed(groupName, rt.stage.autoScalingGroups);
}

const lockIdFor = (groupName: string): string => `asg#${groupName}`;

const epochSeconds = (date: Date): number => Math.floor(date.getTime() / 1000);

const leaseFrom = (rt: Runtime): { leaseExpiresAt: number; expiresAt: number } => {
  const leaseExpiresAt = epochSeconds(rt.clock.now()) + rt.stage.lockLeaseSeconds;
  return { leaseExpiresAt, expiresAt: leaseExpiresAt + LOCK_TTL_GRACE_SECONDS };
};

/** Takes the group's lock for `owner`, or throws DeployInProgress naming the holder. Re-entrant for the same owner. */
export async function acquireLock(rt: Runtime, groupName: string, owner: string, kind: LockKind): Promise<LockItem> {
  const now = rt.clock.now();
  const item: LockItem = {
    lockId: lockIdFor(groupName),
    owner,
    kind,
    acquiredAt: now.toISOString(),
    ...leaseFrom(rt),
  };
  try {
    await rt.clients.dynamo.send(
      new PutCommand({
        TableName: rt.stage.tables.locks,
        Item: item,
        ConditionExpression: "attribute_not_exists(#key) OR #lease < :now OR #owner = :owner",
        ExpressionAttributeNames: { "#key": LOCK_KEY, "#lease": LEASE_ATTRIBUTE, "#owner": "owner" },
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
      holder === undefined ? "unknown" : new Date(holder.leaseExpiresAt * 1000).toISOString(),
    );
  }
}

export async function readLock(rt: Runtime, groupName: string): Promise<LockItem | undefined> {
  const response = await rt.clients.dynamo.send(
    new GetCommand({ TableName: rt.stage.tables.locks, Key: { [LOCK_KEY]: lockIdFor(groupName) }, ConsistentRead: true }),
  );
  return response.Item as LockItem | undefined;
}

/**
 * Extends the lease, a write conditional on `owner` still holding the lock; throws DeployLockLost
 * naming the new holder if another owner took it over (or it is gone). A lease that lapsed with
 * nobody taking it over is still this owner's: nothing else can have touched the group.
 */
export async function renewLock(rt: Runtime, groupName: string, owner: string): Promise<void> {
  assertGroupInStage(rt, groupName);
  const lease = leaseFrom(rt);
  try {
    await rt.clients.dynamo.send(
      new UpdateCommand({
        TableName: rt.stage.tables.locks,
        Key: { [LOCK_KEY]: lockIdFor(groupName) },
        UpdateExpression: "SET #lease = :lease, #expires = :expires",
        ConditionExpression: "#owner = :owner",
        ExpressionAttributeNames: { "#lease": LEASE_ATTRIBUTE, "#expires": LOCK_TTL_ATTRIBUTE, "#owner": "owner" },
        ExpressionAttributeValues: { ":lease": lease.leaseExpiresAt, ":expires": lease.expiresAt, ":owner": owner },
      }),
    );
  } catch (error) {
    if (!isConditionalCheckFailure(error)) throw error;
    const holder = await readLock(rt, groupName);
    throw new DeployLockLost(groupName, owner, holder === undefined ? undefined : `${holder.kind} ${holder.owner}`);
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
