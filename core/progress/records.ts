import { QueryCommand, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { BATCH_SK_PREFIX, DEPLOY_SK } from "../deploy-store.ts";
import type { Runtime } from "../runtime.ts";
import { DEPLOY_HASH_KEY, DEPLOY_RANGE_KEY } from "../tables.ts";
import type { BatchRecord, DeployRecord } from "../types.ts";

/** Reads of the deploy table only an operator makes (ebb status, history): no deployed function sends these. */
/** Every batch of a deploy, both phases, in order (deploy batches first). */
export async function listBatches(rt: Runtime, deployId: string): Promise<BatchRecord[]> {
  const batches: BatchRecord[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await rt.clients.dynamo.send(
      new QueryCommand({
        TableName: rt.stage.tables.deploys,
        KeyConditionExpression: "#key = :id AND begins_with(#sk, :batch)",
        ExpressionAttributeNames: { "#key": DEPLOY_HASH_KEY, "#sk": DEPLOY_RANGE_KEY },
        ExpressionAttributeValues: { ":id": deployId, ":batch": BATCH_SK_PREFIX },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    batches.push(...((page.Items ?? []) as BatchRecord[]));
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  return batches;
}

/**
 * The deploy records of one group, newest first. A Scan: the table has no index by group, and
 * an operator's look at history is rare and small next to what a deploy writes.
 */
export async function listDeploys(rt: Runtime, autoScalingGroupName: string): Promise<DeployRecord[]> {
  const deploys: DeployRecord[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await rt.clients.dynamo.send(
      new ScanCommand({
        TableName: rt.stage.tables.deploys,
        FilterExpression: "#sk = :deploy AND autoScalingGroupName = :group",
        ExpressionAttributeNames: { "#sk": DEPLOY_RANGE_KEY },
        ExpressionAttributeValues: { ":deploy": DEPLOY_SK, ":group": autoScalingGroupName },
        ExclusiveStartKey: start,
      }),
    );
    deploys.push(...((page.Items ?? []) as DeployRecord[]));
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  return deploys.sort((a, b) => b.startedAt.localeCompare(a.startedAt));
}
