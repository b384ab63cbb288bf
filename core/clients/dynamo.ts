import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { provideClient } from "./registry.ts";

provideClient("dynamo", (configs) =>
  DynamoDBDocumentClient.from(new DynamoDBClient(configs.dynamo), { marshallOptions: { removeUndefinedValues: true } }),
);
