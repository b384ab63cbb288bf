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
