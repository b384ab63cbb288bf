import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { AttributeDefinition, KeySchemaElement } from "@aws-sdk/client-dynamodb";
import { tableKeySchemas } from "../../core/tables.ts";
import type { TableKeySchema } from "../../core/tables.ts";

export type TableNames = Record<keyof typeof tableKeySchemas, string>;

/** Creates Ebb's tables in the local DynamoDB (dynalite) with the key schemas infra/ deploys. */
export async function createLocalTables(client: DynamoDBClient, names: TableNames): Promise<void> {
  for (const [table, schema] of Object.entries(tableKeySchemas) as [keyof TableNames, TableKeySchema][]) {
    const keys: KeySchemaElement[] = [{ AttributeName: schema.hashKey, KeyType: "HASH" }];
    const attributes: AttributeDefinition[] = [{ AttributeName: schema.hashKey, AttributeType: "S" }];
    if (schema.rangeKey) {
      keys.push({ AttributeName: schema.rangeKey, KeyType: "RANGE" });
      attributes.push({ AttributeName: schema.rangeKey, AttributeType: "S" });
    }
    await client.send(
      new CreateTableCommand({ TableName: names[table], KeySchema: keys, AttributeDefinitions: attributes, BillingMode: "PAY_PER_REQUEST" }),
    );
  }
}
