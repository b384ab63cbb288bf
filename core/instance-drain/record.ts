import { GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { audit } from "../deploy-store.ts";
import { isConditionalCheckFailure, updateParts } from "../dynamo.ts";
import type { DrainState } from "../drain/request.ts";
import type { Runtime } from "../runtime.ts";
import { DEPLOY_HASH_KEY, DEPLOY_RANGE_KEY } from "../tables.ts";

/**
 * One operator drain (`ebb drain INSTANCE`) in the deploy table under `drain#<execution name>`,
 * sk "drain", holding the drain pipeline's journal, with its audit log next to it.
 */

const DRAIN_SK = "drain";
export const drainHashKey = (drainId: string): string => `drain#${drainId}`;

/** After the drain: out of service but kept (undo with ExitStandby), or replaced by the ASG. */
export type DrainThen = "standby" | "terminate";

export interface InstanceDrainRecord extends DrainState {
  drainId: string;
  instanceId: string;
  groupName: string;
  then: DrainThen;
  startedAt: string;
  targetGroupArns: string[];
  deregistrationDelaySeconds: number;
  connectionsAtStart: Record<string, number>;
  deregisterOrder: "first" | "when-drained";
  /** Set once: how it ended ("standby", "terminated", "failed: ...") and when. */
  outcome?: string;
  finishedAt?: string;
  lockReleased?: boolean;
}

export async function getInstanceDrain(rt: Runtime, drainId: string): Promise<InstanceDrainRecord | undefined> {
  const response = await rt.clients.dynamo.send(
    new GetCommand({ TableName: rt.stage.tables.deploys, Key: { [DEPLOY_HASH_KEY]: drainHashKey(drainId), [DEPLOY_RANGE_KEY]: DRAIN_SK }, ConsistentRead: true }),
  );
  return response.Item as InstanceDrainRecord | undefined;
}

/** Stores the drain unless it exists (a retried start): the first version wins. */
export async function createInstanceDrain(rt: Runtime, record: InstanceDrainRecord): Promise<InstanceDrainRecord> {
  try {
    await rt.clients.dynamo.send(
      new PutCommand({
        TableName: rt.stage.tables.deploys,
        Item: { ...record, [DEPLOY_HASH_KEY]: drainHashKey(record.drainId), [DEPLOY_RANGE_KEY]: DRAIN_SK },
        ConditionExpression: "attribute_not_exists(#key)",
        ExpressionAttributeNames: { "#key": DEPLOY_HASH_KEY },
      }),
    );
    return record;
  } catch (error) {
    if (!isConditionalCheckFailure(error)) throw error;
    return (await getInstanceDrain(rt, record.drainId)) ?? record;
  }
}

export async function updateInstanceDrain(rt: Runtime, drainId: string, set: Partial<InstanceDrainRecord>, once: Partial<InstanceDrainRecord> = {}): Promise<InstanceDrainRecord> {
  const parts = updateParts(set, once);
  const response = await rt.clients.dynamo.send(
    new UpdateCommand({
      TableName: rt.stage.tables.deploys,
      Key: { [DEPLOY_HASH_KEY]: drainHashKey(drainId), [DEPLOY_RANGE_KEY]: DRAIN_SK },
      ...parts,
      ConditionExpression: "attribute_exists(#key)",
      ExpressionAttributeNames: { ...parts.ExpressionAttributeNames, "#key": DEPLOY_HASH_KEY },
      ReturnValues: "ALL_NEW",
    }),
  );
  return response.Attributes as InstanceDrainRecord;
}

export const auditInstanceDrain = (rt: Runtime, drainId: string, step: string, detail: Record<string, unknown>): Promise<void> =>
  audit(rt, drainHashKey(drainId), { step, detail });
