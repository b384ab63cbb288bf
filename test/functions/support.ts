import type { Context } from "aws-lambda";
import { expect } from "vitest";
import { allCustomMatcher } from "aws-sdk-client-mock-vitest";
import "aws-sdk-client-mock-vitest/extend";

expect.extend(allCustomMatcher);

/** A Lambda context as the runtime passes it (the handlers only log with it). */
export const lambdaContext = (functionName: string): Context => ({
  callbackWaitsForEmptyEventLoop: false,
  functionName,
  functionVersion: "$LATEST",
  invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
  memoryLimitInMB: "256",
  awsRequestId: "00000000-0000-4000-8000-000000000001",
  logGroupName: `/aws/lambda/${functionName}`,
  logStreamName: "test",
  getRemainingTimeInMillis: () => 60_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
});
