import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { startDynamoDb, type LocalDynamoDb } from "../../../emulator/dynamodb/dynalite.ts";
import { createTableInputs } from "../../../core/tables.ts";
import type { AwsClientConfig } from "../../../core/runtime.ts";

export const testTables = { locks: "ebb-test-locks", deploys: "ebb-test-deploys", idempotency: "ebb-test-idempotency" };

export interface TestDynamo {
  db: LocalDynamoDb;
  clientConfig: AwsClientConfig;
}

/** dynalite with the stage's tables created through the real SDK. */
export async function startTestDynamo(tables = testTables): Promise<TestDynamo> {
  const db = await startDynamoDb();
  const clientConfig: AwsClientConfig = {
    endpoint: db.endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "AKIAEBBTEST", secretAccessKey: "ebb-test" },
  };
  const client = new DynamoDBClient(clientConfig);
  for (const input of createTableInputs(tables)) await client.send(new CreateTableCommand(input));
  client.destroy();
  return { db, clientConfig };
}
