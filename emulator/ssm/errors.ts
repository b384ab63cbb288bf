import { AwsApiError } from "../protocol/errors.ts";

export const invalidInstanceId = (instanceIds: readonly string[], accountId: string): AwsApiError =>
  new AwsApiError("InvalidInstanceId", `Instances [[${instanceIds.join(", ")}]] not in a valid state for account ${accountId}`);

export const invalidDocument = (documentName: string): AwsApiError =>
  new AwsApiError("InvalidDocument", `Document with name ${documentName} does not exist.`);

export const invalidParameters = (message: string): AwsApiError => new AwsApiError("InvalidParameters", message);

export const invocationDoesNotExist = (): AwsApiError => new AwsApiError("InvocationDoesNotExist", "");

export const duplicateInstanceId = (): AwsApiError => new AwsApiError("DuplicateInstanceId", "");

export const invalidCommandId = (): AwsApiError => new AwsApiError("InvalidCommandId", "");
