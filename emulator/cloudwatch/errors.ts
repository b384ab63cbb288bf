import { AwsApiError } from "../protocol/errors.ts";

/** CloudWatch's error codes (the query-protocol codes; the JSON protocol carries them as query-compatible errors). */

export const invalidParameterValue = (message: string): AwsApiError => new AwsApiError("InvalidParameterValue", message);

export const invalidParameterCombination = (message: string): AwsApiError => new AwsApiError("InvalidParameterCombination", message);

export const missingParameter = (message: string): AwsApiError => new AwsApiError("MissingParameter", message);

export const resourceNotFound = (message: string): AwsApiError => new AwsApiError("ResourceNotFound", message, { statusCode: 404 });

export const limitExceeded = (message: string): AwsApiError => new AwsApiError("LimitExceeded", message);

export { invalidNextToken } from "../protocol/errors.ts";

export const invalidFormat = (message: string): AwsApiError => new AwsApiError("InvalidFormat", message);
