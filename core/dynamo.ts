/** DynamoDB helpers shared by the lock and the deploy store. */

export const isConditionalCheckFailure = (error: unknown): boolean =>
  error instanceof Error && error.name === "ConditionalCheckFailedException";

export interface UpdateParts {
  UpdateExpression: string;
  ExpressionAttributeNames: Record<string, string>;
  ExpressionAttributeValues: Record<string, unknown>;
}

/**
 * `SET a = :a, b = if_not_exists(b, :b)`: `set` fields are overwritten, `once` fields keep the
 * value of the first write (so a handler that runs twice records the first time, not the second).
 */
export function updateParts(set: Readonly<Record<string, unknown>>, once: Readonly<Record<string, unknown>> = {}): UpdateParts {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const clauses: string[] = [];
  let index = 0;
  const add = (field: string, value: unknown, keepFirst: boolean): void => {
    if (value === undefined) return;
    const name = `#f${index}`;
    const placeholder = `:v${index}`;
    index += 1;
    names[name] = field;
    values[placeholder] = value;
    clauses.push(keepFirst ? `${name} = if_not_exists(${name}, ${placeholder})` : `${name} = ${placeholder}`);
  };
  for (const [field, value] of Object.entries(set)) add(field, value, false);
  for (const [field, value] of Object.entries(once)) add(field, value, true);
  return { UpdateExpression: `SET ${clauses.join(", ")}`, ExpressionAttributeNames: names, ExpressionAttributeValues: values };
}
