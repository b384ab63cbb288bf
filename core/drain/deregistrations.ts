import { GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { isConditionalCheckFailure } from "../dynamo.ts";
import type { Runtime } from "../runtime.ts";
import { DEPLOY_HASH_KEY, DEPLOY_RANGE_KEY } from "../tables.ts";

/**
 * Which targets the drain pipeline took out of the load balancer, one record per instance in the
 * deploy table (hash key "deregistration#<instanceId>", sk "targets"), written before
 * DeregisterTargets. When the ASG owns registration this is how the reconciler tells an instance
 * a crashed control plane left deregistered but running (put it back) from one an operator took
 * out by hand (leave it alone): the load balancer does not say who deregistered a target.
 */

const RECORD_SK = "targets";
const keyOf = (instanceId: string) => ({ [DEPLOY_HASH_KEY]: `deregistration#${instanceId}`, [DEPLOY_RANGE_KEY]: RECORD_SK });

export interface EbbDeregistration {
  instanceId: string;
  /** The target groups the pipeline deregistered the instance from. */
  targetGroupArns: string[];
  deregisteredAt: string;
  /** The drain's cause ("deploy d-1 batch 0"...). */
  cause: string;
  /** Set once the instance is serving again in those target groups: the record no longer speaks for it. */
  restoredAt?: string;
}

/** Target group ARN lists by instance, as the pipeline is about to deregister them. */
export async function recordDeregistrations(rt: Runtime, targets: ReadonlyMap<string, readonly string[]>, cause: string): Promise<void> {
  const deregisteredAt = rt.clock.now().toISOString();
  for (const [instanceId, targetGroupArns] of targets) {
    if (targetGroupArns.length === 0) continue;
    const record: EbbDeregistration = { instanceId, targetGroupArns: [...targetGroupArns], deregisteredAt, cause };
    await rt.clients.dynamo.send(new PutCommand({ TableName: rt.stage.tables.deploys, Item: { ...keyOf(instanceId), ...record } }));
  }
}

/** The instances' records that still speak for them (not restored), by instance. */
export async function openDeregistrations(rt: Runtime, instanceIds: readonly string[]): Promise<Map<string, EbbDeregistration>> {
  const found = new Map<string, EbbDeregistration>();
  for (const instanceId of instanceIds) {
    const response = await rt.clients.dynamo.send(new GetCommand({ TableName: rt.stage.tables.deploys, Key: keyOf(instanceId), ConsistentRead: true }));
    const record = response.Item as EbbDeregistration | undefined;
    if (record !== undefined && record.restoredAt === undefined) found.set(instanceId, record);
  }
  return found;
}

/** Closes the records of instances serving again; a record deregistered anew since it was read is left open. */
export async function markRestored(rt: Runtime, records: readonly EbbDeregistration[]): Promise<void> {
  const restoredAt = rt.clock.now().toISOString();
  for (const record of records) {
    try {
      await rt.clients.dynamo.send(
        new UpdateCommand({
          TableName: rt.stage.tables.deploys,
          Key: keyOf(record.instanceId),
          UpdateExpression: "SET #restoredAt = :restoredAt",
          ConditionExpression: "#deregisteredAt = :deregisteredAt",
          ExpressionAttributeNames: { "#restoredAt": "restoredAt", "#deregisteredAt": "deregisteredAt" },
          ExpressionAttributeValues: { ":restoredAt": restoredAt, ":deregisteredAt": record.deregisteredAt },
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailure(error)) throw error;
    }
  }
}
