import { CreateTableCommand, DynamoDBClient, GetItemCommand, ListTablesCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { afterEach, describe, expect, it } from "vitest";
import { startDynamoDb, type LocalDynamoDb } from "../../../emulator/dynamodb/dynalite.ts";
import { startEmulatorServer, type EmulatorServer } from "../../../emulator/protocol/server.ts";
import { newWorld } from "../../support/protocol.ts";

const credentials = { accessKeyId: "AKIDTEST", secretAccessKey: "secret" };
let server: EmulatorServer | undefined;
let dynamo: LocalDynamoDb | undefined;

afterEach(async () => {
  await server?.close();
  await dynamo?.stop();
  server = undefined;
  dynamo = undefined;
});

describe("the emulator's HTTP server and DynamoDB", () => {
  // DynamoDB's low-level API is JSON 1.0 with `X-Amz-Target: DynamoDB_20120810.<Operation>`
  // (DynamoDB developer guide, "Low-level API" / "Request format"): one endpoint serves every
  // service once such requests are passed to dynalite, so a CLI needs one --endpoint.
  it("passes DynamoDB requests through to dynalite, errors included", async () => {
    dynamo = await startDynamoDb();
    server = await startEmulatorServer(newWorld(), { dynamoDbEndpoint: dynamo.endpoint });
    const client = new DynamoDBClient({ region: "us-east-1", credentials, endpoint: server.url, maxAttempts: 1 });
    await client.send(new CreateTableCommand({
      TableName: "ebb-local-deploys", BillingMode: "PAY_PER_REQUEST",
      KeySchema: [{ AttributeName: "deployId", KeyType: "HASH" }], AttributeDefinitions: [{ AttributeName: "deployId", AttributeType: "S" }],
    }));
    await client.send(new PutItemCommand({ TableName: "ebb-local-deploys", Item: { deployId: { S: "v2" }, status: { S: "Succeeded" } } }));
    const read = await client.send(new GetItemCommand({ TableName: "ebb-local-deploys", Key: { deployId: { S: "v2" } }, ConsistentRead: true }));
    expect(read.Item?.["status"]).toEqual({ S: "Succeeded" });
    expect((await client.send(new ListTablesCommand({}))).TableNames).toEqual(["ebb-local-deploys"]);
    // The same table read straight from dynalite: nothing is copied, the emulator only forwards.
    const direct = new DynamoDBClient({ region: "us-east-1", credentials, endpoint: dynamo.endpoint });
    expect((await direct.send(new ListTablesCommand({}))).TableNames).toEqual(["ebb-local-deploys"]);
    await expect(client.send(new GetItemCommand({ TableName: "missing", Key: { deployId: { S: "x" } } }))).rejects.toMatchObject({ name: "ResourceNotFoundException" });
    client.destroy();
    direct.destroy();
  });

  it("without a DynamoDB behind it, a DynamoDB request is refused like any unknown service", async () => {
    server = await startEmulatorServer(newWorld());
    const client = new DynamoDBClient({ region: "us-east-1", credentials, endpoint: server.url, maxAttempts: 1 });
    await expect(client.send(new ListTablesCommand({}))).rejects.toThrow();
    client.destroy();
  });

  it("serves the host's admin documents under /_ebb/", async () => {
    server = await startEmulatorServer(newWorld(), { adminDocuments: { stage: () => ({ stage: { stage: "local" } }) } });
    expect(await (await fetch(`${server.url}/_ebb/stage`)).json()).toEqual({ stage: { stage: "local" } });
    expect((await fetch(`${server.url}/_ebb/other`)).status).toBe(404);
  });
});
