import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDynamoDb, type LocalDynamoDb } from "../../../emulator/dynamodb/dynalite.ts";

describe("local DynamoDB (dynalite)", () => {
  let local: LocalDynamoDb;
  let client: DynamoDBClient;

  beforeAll(async () => {
    local = await startDynamoDb();
    client = new DynamoDBClient({ endpoint: local.endpoint, region: "us-east-1", credentials: { accessKeyId: "local", secretAccessKey: "local" } });
  });

  afterAll(async () => {
    client.destroy();
    await local.stop();
  });

  it("listens on a loopback port", () => {
    expect(local.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it("round-trips CreateTable, PutItem and GetItem through the real SDK", async () => {
    await client.send(
      new CreateTableCommand({
        TableName: "ebb-locks",
        AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
        KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
        BillingMode: "PAY_PER_REQUEST",
      }),
    );
    await expect.poll(async () => (await client.send(new DescribeTableCommand({ TableName: "ebb-locks" }))).Table?.TableStatus).toBe("ACTIVE");
    await client.send(new PutItemCommand({ TableName: "ebb-locks", Item: { pk: { S: "deploy#ebb-demo-asg" }, owner: { S: "exec-1" }, expires: { N: "42" } } }));
    const read = await client.send(new GetItemCommand({ TableName: "ebb-locks", Key: { pk: { S: "deploy#ebb-demo-asg" } }, ConsistentRead: true }));
    expect(read.Item).toEqual({ pk: { S: "deploy#ebb-demo-asg" }, owner: { S: "exec-1" }, expires: { N: "42" } });
  });

  it("enforces conditional writes like DynamoDB (a second lock holder is refused)", async () => {
    const put = (owner: string) =>
      client.send(
        new PutItemCommand({
          TableName: "ebb-locks",
          Item: { pk: { S: "deploy#other" }, owner: { S: owner } },
          ConditionExpression: "attribute_not_exists(pk)",
        }),
      );
    await put("first");
    await expect(put("second")).rejects.toMatchObject({ name: "ConditionalCheckFailedException" });
  });
});
