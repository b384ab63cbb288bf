import type { CreateTableCommandInput } from "@aws-sdk/client-dynamodb";

/**
 * Key schemas of Ebb's DynamoDB tables (must match infra/tables.ts TABLE_SCHEMAS). Every key
 * attribute is a string; TTL attributes hold epoch seconds.
 */
export const LOCK_KEY = "lockId";
export const LOCK_TTL_ATTRIBUTE = "expiresAt";
export const DEPLOY_HASH_KEY = "deployId";
export const DEPLOY_RANGE_KEY = "sk";

export interface TableKeySchema {
  readonly hashKey: string;
  readonly rangeKey?: string;
  readonly ttlAttribute?: string;
}

export const tableKeySchemas = {
  locks: { hashKey: LOCK_KEY, ttlAttribute: LOCK_TTL_ATTRIBUTE },
  deploys: { hashKey: DEPLOY_HASH_KEY, rangeKey: DEPLOY_RANGE_KEY },
  idempotency: { hashKey: "id", ttlAttribute: "expiration" },
} as const satisfies Record<string, TableKeySchema>;

/** CreateTable inputs for a stage's tables (on-demand); the simulation and tests create them on dynalite. */
export function createTableInputs(tables: { locks: string; deploys: string; idempotency: string }): CreateTableCommandInput[] {
  return (Object.keys(tableKeySchemas) as (keyof typeof tableKeySchemas)[]).map((kind) => {
    const schema: TableKeySchema = tableKeySchemas[kind];
    const keys = schema.rangeKey === undefined ? [schema.hashKey] : [schema.hashKey, schema.rangeKey];
    return {
      TableName: tables[kind],
      BillingMode: "PAY_PER_REQUEST",
      AttributeDefinitions: keys.map((name) => ({ AttributeName: name, AttributeType: "S" })),
      KeySchema: keys.map((name, index) => ({ AttributeName: name, KeyType: index === 0 ? "HASH" : "RANGE" })),
    };
  });
}
