import type { z } from "zod";
import { AwsApiError } from "../../protocol/errors.ts";
import type { Params } from "../../protocol/service-types.ts";
import { describeIssues } from "../../../shared/validation.ts";

export const STATE_MACHINE_ARN = /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:[^:]+$/;
export const EXECUTION_ARN = /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:execution:[^:]+:[^:]+$/;

export const parse = <T extends z.ZodType>(schema: T, params: Params): z.infer<T> => {
  const result = schema.safeParse(params);
  // Step Functions (JSON protocol) names its constraint failures ValidationException, not the query services' ValidationError.
  if (!result.success) throw new AwsApiError("ValidationException", describeIssues(result.error, "request").join("; "));
  return result.data;
};

export function requireArn(value: string, pattern: RegExp): void {
  if (!pattern.test(value)) throw new AwsApiError("InvalidArn", `Invalid Arn: '${value}'`);
}
