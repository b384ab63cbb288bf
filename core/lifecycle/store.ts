import { GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { audit } from "../deploy-store.ts";
import { isConditionalCheckFailure, updateParts } from "../dynamo.ts";
import type { DrainState } from "../drain/request.ts";
import type { Runtime } from "../runtime.ts";
import { DEPLOY_HASH_KEY, DEPLOY_RANGE_KEY } from "../tables.ts";
import type { HealthObservation } from "../types.ts";
import type { ActionRef } from "./event.ts";

/**
 * One record per lifecycle action in the deploy table (hash key "lifecycle#<token>", sk "action"),
 * with its audit log next to it: every step of the hook workflows records what it did once.
 */

const ACTION_SK = "action";
const hashKey = (token: string): string => `lifecycle#${token}`;

export interface ActionRecord extends ActionRef, DrainState {
  startedAt: string;
  heartbeatTimeoutSeconds: number;
  /** The action ends with its DefaultResult by then whatever Ebb does (min(48 h, 100 × HeartbeatTimeout) after it began). */
  globalDeadline: string;
  lastHeartbeatAt?: string;
  heartbeats?: number;
  registeredAt?: string;
  /** The slowest target group's health-check interval: one counted observation per interval. */
  healthCheckIntervalSeconds?: number;
  health?: HealthObservation;
  /** Terminate hook: the target groups' longest deregistration delay, connections at the start, and the drain's order. */
  deregistrationDelaySeconds?: number;
  connectionsAtStart?: Record<string, number>;
  deregisterOrder?: "first" | "when-drained";
  /** How the action ended for Ebb: completed with a result, or found no longer active. */
  completion?: { result: "CONTINUE" | "ABANDON" | "not-active"; at: string; reason: string };
}

export async function getAction(rt: Runtime, token: string): Promise<ActionRecord | undefined> {
  const response = await rt.clients.dynamo.send(
    new GetCommand({ TableName: rt.stage.tables.deploys, Key: { [DEPLOY_HASH_KEY]: hashKey(token), [DEPLOY_RANGE_KEY]: ACTION_SK }, ConsistentRead: true }),
  );
  return response.Item as ActionRecord | undefined;
}

/** Stores the action unless it exists (a retried step or a duplicate execution): the first version wins. */
export async function createAction(rt: Runtime, record: ActionRecord): Promise<ActionRecord> {
  try {
    await rt.clients.dynamo.send(
      new PutCommand({
        TableName: rt.stage.tables.deploys,
        Item: { ...record, [DEPLOY_HASH_KEY]: hashKey(record.token), [DEPLOY_RANGE_KEY]: ACTION_SK },
        ConditionExpression: "attribute_not_exists(#key)",
        ExpressionAttributeNames: { "#key": DEPLOY_HASH_KEY },
      }),
    );
    return record;
  } catch (error) {
    if (!isConditionalCheckFailure(error)) throw error;
    return (await getAction(rt, record.token)) ?? record;
  }
}

export async function updateAction(rt: Runtime, token: string, set: Partial<ActionRecord>, once: Partial<ActionRecord> = {}): Promise<ActionRecord> {
  const parts = updateParts(set, once);
  const response = await rt.clients.dynamo.send(
    new UpdateCommand({
      TableName: rt.stage.tables.deploys,
      Key: { [DEPLOY_HASH_KEY]: hashKey(token), [DEPLOY_RANGE_KEY]: ACTION_SK },
      ...parts,
      ConditionExpression: "attribute_exists(#key)",
      ExpressionAttributeNames: { ...parts.ExpressionAttributeNames, "#key": DEPLOY_HASH_KEY },
      ReturnValues: "ALL_NEW",
    }),
  );
  return response.Attributes as ActionRecord;
}

/** Appends to the action's audit log once per step. */
export const auditAction = (rt: Runtime, token: string, step: string, detail: Record<string, unknown>): Promise<void> =>
  audit(rt, hashKey(token), { step, detail });
