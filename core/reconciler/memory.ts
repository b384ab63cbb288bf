import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { isConditionalCheckFailure } from "../dynamo.ts";
import type { Runtime } from "../runtime.ts";
import { DEPLOY_HASH_KEY, DEPLOY_RANGE_KEY } from "../tables.ts";
import type { WaitMemory } from "./plan.ts";

/**
 * The reconciler's one memory per group, in the deploy table (`reconciler#<group>`, sk "waits"):
 * when it first saw each instance waiting in a lifecycle state, and what it did about it. Writes
 * are conditional on the version read, so two overlapping runs (a schedule may fire twice)
 * cannot both act on the same sighting.
 */

const WAITS_SK = "waits";
const keyOf = (groupName: string) => ({ [DEPLOY_HASH_KEY]: `reconciler#${groupName}`, [DEPLOY_RANGE_KEY]: WAITS_SK });

export interface StoredMemory {
  waits: WaitMemory;
  version: number;
}

export async function readMemory(rt: Runtime, groupName: string): Promise<StoredMemory> {
  const response = await rt.clients.dynamo.send(new GetCommand({ TableName: rt.stage.tables.deploys, Key: keyOf(groupName), ConsistentRead: true }));
  const item = response.Item as { waits?: WaitMemory; version?: number } | undefined;
  return { waits: item?.waits ?? {}, version: item?.version ?? 0 };
}

/** false when another run wrote first (this run then does nothing). */
export async function writeMemory(rt: Runtime, groupName: string, previous: StoredMemory, waits: WaitMemory): Promise<boolean> {
  try {
    await rt.clients.dynamo.send(
      new PutCommand({
        TableName: rt.stage.tables.deploys,
        Item: { ...keyOf(groupName), waits, version: previous.version + 1, updatedAt: rt.clock.now().toISOString() },
        ConditionExpression: previous.version === 0 ? "attribute_not_exists(#key)" : "#version = :version",
        ExpressionAttributeNames: previous.version === 0 ? { "#key": DEPLOY_HASH_KEY } : { "#version": "version" },
        ...(previous.version === 0 ? {} : { ExpressionAttributeValues: { ":version": previous.version } }),
      }),
    );
    return true;
  } catch (error) {
    if (isConditionalCheckFailure(error)) return false;
    throw error;
  }
}
