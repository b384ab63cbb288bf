import { type AwsLocation, functionArn } from "../../infra/arns.ts";
import type { LambdaLikeContext } from "./types.ts";

/** A function's configuration as infra deploys it: what its context reports and when Lambda stops it. */
export interface LambdaFunctionSettings {
  readonly timeoutSeconds: number;
  readonly memoryMB: number;
}

/**
 * CreateFunction's defaults, for a handler no configuration names: "The default value for this
 * setting is 3 seconds" (Lambda developer guide, "Configure Lambda function timeout",
 * https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html) and 128 MB.
 */
export const LAMBDA_DEFAULT_SETTINGS: LambdaFunctionSettings = { timeoutSeconds: 3, memoryMB: 128 };

/** The context Lambda passes a function invoked at the clock's time (by a Task or an EventBridge rule). */
export function lambdaContext(
  scope: AwsLocation, clock: { readonly nowMs: number }, functionName: string, requestId: string, settings: LambdaFunctionSettings,
): LambdaLikeContext {
  const deadlineMs = clock.nowMs + settings.timeoutSeconds * 1000;
  const callbackStyle = (): never => {
    throw new Error("callback-style completion is not supported locally: return a promise");
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: functionArn(scope, functionName),
    memoryLimitInMB: String(settings.memoryMB),
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `local/[$LATEST]${requestId.replaceAll("-", "")}`,
    getRemainingTimeInMillis: () => Math.max(0, deadlineMs - clock.nowMs),
    done: callbackStyle,
    fail: callbackStyle,
    succeed: callbackStyle,
  };
}
