import { type AwsLocation, functionArn } from "../../infra/arns.ts";
import type { LambdaLikeContext } from "./types.ts";

/** Lambda's maximum timeout: what a locally invoked function is told it has left. */
const FUNCTION_TIMEOUT_MS = 900_000;

/** The context Lambda passes a function invoked at the clock's time (by a Task or an EventBridge rule). */
export function lambdaContext(scope: AwsLocation, clock: { readonly nowMs: number }, functionName: string, requestId: string): LambdaLikeContext {
  const deadlineMs = clock.nowMs + FUNCTION_TIMEOUT_MS;
  const callbackStyle = (): never => {
    throw new Error("callback-style completion is not supported locally: return a promise");
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: functionArn(scope, functionName),
    memoryLimitInMB: "1024",
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `local/[$LATEST]${requestId.replaceAll("-", "")}`,
    getRemainingTimeInMillis: () => Math.max(0, deadlineMs - clock.nowMs),
    done: callbackStyle,
    fail: callbackStyle,
    succeed: callbackStyle,
  };
}
