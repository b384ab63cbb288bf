import { GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { isConditionalCheckFailure, updateParts } from "./dynamo.ts";
import { DeployStateError } from "./errors.ts";
import type { Runtime } from "./runtime.ts";
import { DEPLOY_HASH_KEY, DEPLOY_RANGE_KEY } from "./tables.ts";
import type { BatchRecord, DeployPhase, DeployRecord } from "./types.ts";

/**
 * The deploy table: one record per deploy (sk "deploy"), one per batch (sk "batch#<phase>#<n>")
 * and the audit log (sk "audit#..."). Workflow payloads carry only ids; fleet data lives here.
 */

export const DEPLOY_SK = "deploy";
/** Every batch record's sort key starts with this. */
export const BATCH_SK_PREFIX = "batch#";
const batchSk = (phase: DeployPhase, batchIndex: number): string => `${BATCH_SK_PREFIX}${phase}#${String(batchIndex).padStart(4, "0")}`;

const key = (deployId: string, sk: string): Record<string, string> => ({ [DEPLOY_HASH_KEY]: deployId, [DEPLOY_RANGE_KEY]: sk });

/** Creates the record; if it already exists (a retried task) the stored one is returned. */
export async function createDeploy(rt: Runtime, record: DeployRecord): Promise<DeployRecord> {
  try {
    await rt.clients.dynamo.send(
      new PutCommand({
        TableName: rt.stage.tables.deploys,
        Item: { ...record, [DEPLOY_RANGE_KEY]: DEPLOY_SK },
        ConditionExpression: "attribute_not_exists(#key)",
        ExpressionAttributeNames: { "#key": DEPLOY_HASH_KEY },
      }),
    );
    return record;
  } catch (error) {
    if (!isConditionalCheckFailure(error)) throw error;
    return getDeploy(rt, record.deployId);
  }
}

export async function getDeploy(rt: Runtime, deployId: string): Promise<DeployRecord> {
  const response = await rt.clients.dynamo.send(
    new GetCommand({ TableName: rt.stage.tables.deploys, Key: key(deployId, DEPLOY_SK), ConsistentRead: true }),
  );
  if (response.Item === undefined) throw new DeployStateError(`deploy ${deployId} has no record`);
  return response.Item as DeployRecord;
}

export async function updateDeploy(
  rt: Runtime,
  deployId: string,
  set: Partial<DeployRecord>,
  once: Partial<DeployRecord> = {},
): Promise<DeployRecord> {
  const parts = updateParts({ ...set, updatedAt: rt.clock.now().toISOString() }, once);
  const response = await rt.clients.dynamo.send(
    new UpdateCommand({
      TableName: rt.stage.tables.deploys,
      Key: key(deployId, DEPLOY_SK),
      ...parts,
      ConditionExpression: "attribute_exists(#key)",
      ExpressionAttributeNames: { ...parts.ExpressionAttributeNames, "#key": DEPLOY_HASH_KEY },
      ReturnValues: "ALL_NEW",
    }),
  );
  return response.Attributes as DeployRecord;
}

export async function getBatch(rt: Runtime, deployId: string, phase: DeployPhase, batchIndex: number): Promise<BatchRecord | undefined> {
  const response = await rt.clients.dynamo.send(
    new GetCommand({ TableName: rt.stage.tables.deploys, Key: key(deployId, batchSk(phase, batchIndex)), ConsistentRead: true }),
  );
  return response.Item as BatchRecord | undefined;
}

export async function requireBatch(rt: Runtime, deployId: string, phase: DeployPhase, batchIndex: number): Promise<BatchRecord> {
  const batch = await getBatch(rt, deployId, phase, batchIndex);
  if (batch === undefined) throw new DeployStateError(`deploy ${deployId} has no ${phase} batch ${batchIndex}`);
  return batch;
}

/** Stores the batch unless it already exists (a retried task): the first version wins and is returned. */
export async function createBatch(rt: Runtime, batch: BatchRecord): Promise<BatchRecord> {
  try {
    await rt.clients.dynamo.send(
      new PutCommand({
        TableName: rt.stage.tables.deploys,
        Item: { ...batch, [DEPLOY_RANGE_KEY]: batchSk(batch.phase, batch.batchIndex) },
        ConditionExpression: "attribute_not_exists(#key)",
        ExpressionAttributeNames: { "#key": DEPLOY_HASH_KEY },
      }),
    );
    return batch;
  } catch (error) {
    if (!isConditionalCheckFailure(error)) throw error;
    return requireBatch(rt, batch.deployId, batch.phase, batch.batchIndex);
  }
}

/** Updates a batch: `set` fields are overwritten, `once` fields keep their first value. Returns the new record. */
export async function updateBatch(
  rt: Runtime,
  batch: Pick<BatchRecord, "deployId" | "phase" | "batchIndex">,
  set: Partial<BatchRecord>,
  once: Partial<BatchRecord> = {},
): Promise<BatchRecord> {
  const parts = updateParts(set, once);
  const response = await rt.clients.dynamo.send(
    new UpdateCommand({
      TableName: rt.stage.tables.deploys,
      Key: key(batch.deployId, batchSk(batch.phase, batch.batchIndex)),
      ...parts,
      ConditionExpression: "attribute_exists(#key)",
      ExpressionAttributeNames: { ...parts.ExpressionAttributeNames, "#key": DEPLOY_HASH_KEY },
      ReturnValues: "ALL_NEW",
    }),
  );
  return response.Attributes as BatchRecord;
}

export interface AuditEntry {
  /** What happened, e.g. "deregistered", "terminated", "rollback-started". */
  step: string;
  phase?: DeployPhase;
  batchIndex?: number;
  detail?: Record<string, unknown>;
}

/** Appends to the audit log once per (phase, batch, step): a retried task does not log twice. */
export async function audit(rt: Runtime, deployId: string, entry: AuditEntry): Promise<void> {
  const scope = entry.phase === undefined ? "deploy" : batchSk(entry.phase, entry.batchIndex ?? 0);
  try {
    await rt.clients.dynamo.send(
      new PutCommand({
        TableName: rt.stage.tables.deploys,
        Item: { ...key(deployId, `audit#${scope}#${entry.step}`), ...entry, at: rt.clock.now().toISOString() },
        ConditionExpression: "attribute_not_exists(#key)",
        ExpressionAttributeNames: { "#key": DEPLOY_HASH_KEY },
      }),
    );
  } catch (error) {
    if (!isConditionalCheckFailure(error)) throw error;
  }
  rt.logger.info(entry.step, { deployId, ...entry });
}

