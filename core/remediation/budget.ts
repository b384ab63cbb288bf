import { GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { isConditionalCheckFailure } from "../dynamo.ts";
import type { Runtime } from "../runtime.ts";
import { LOCK_KEY, LOCK_TTL_ATTRIBUTE } from "../tables.ts";

/**
 * The replacement budget: one counter item per group and window in the locks table. Taking a
 * slot is one conditional write (the count is below the budget and this instance is not counted
 * yet), so two executions cannot both take the last slot, and a retried step does not count twice.
 */

interface BudgetItem {
  count?: number;
  instanceIds?: Set<string>;
}

const windowIndex = (rt: Runtime): number => Math.floor(rt.clock.now().getTime() / 1000 / rt.stage.remediation.budget.windowSeconds);
const keyOf = (rt: Runtime, groupName: string): Record<string, string> => ({ [LOCK_KEY]: `remediation-budget#${groupName}#${windowIndex(rt)}` });

/** Replacements already counted in the current window. */
export async function replacementsInWindow(rt: Runtime, groupName: string): Promise<number> {
  const response = await rt.clients.dynamo.send(new GetCommand({ TableName: rt.stage.tables.locks, Key: keyOf(rt, groupName), ConsistentRead: true }));
  return (response.Item as BudgetItem | undefined)?.count ?? 0;
}

/** Counts the instance's replacement in the window; false when the window's budget is spent. Repeating it for the same instance is true. */
export async function takeReplacementSlot(rt: Runtime, groupName: string, instanceId: string): Promise<boolean> {
  const { maxPerWindow, windowSeconds } = rt.stage.remediation.budget;
  const expiresAt = (windowIndex(rt) + 2) * windowSeconds;
  try {
    await rt.clients.dynamo.send(
      new UpdateCommand({
        TableName: rt.stage.tables.locks,
        Key: keyOf(rt, groupName),
        UpdateExpression: "SET #count = if_not_exists(#count, :zero) + :one, #ttl = :ttl ADD #ids :id",
        ConditionExpression: "(attribute_not_exists(#count) OR #count < :max) AND (attribute_not_exists(#ids) OR NOT contains(#ids, :instance))",
        ExpressionAttributeNames: { "#count": "count", "#ids": "instanceIds", "#ttl": LOCK_TTL_ATTRIBUTE },
        ExpressionAttributeValues: { ":zero": 0, ":one": 1, ":max": maxPerWindow, ":ttl": expiresAt, ":id": new Set([instanceId]), ":instance": instanceId },
      }),
    );
    return true;
  } catch (error) {
    if (!isConditionalCheckFailure(error)) throw error;
    const item = (await rt.clients.dynamo.send(new GetCommand({ TableName: rt.stage.tables.locks, Key: keyOf(rt, groupName), ConsistentRead: true })))
      .Item as BudgetItem | undefined;
    return item?.instanceIds?.has(instanceId) ?? false;
  }
}
