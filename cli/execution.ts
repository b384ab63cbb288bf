import { SFNClient, type DescribeExecutionCommandOutput } from "@aws-sdk/client-sfn";
import type { AwsClientConfig } from "../core/runtime.ts";
import { readableCause } from "../sim/execution-cause.ts";
import { EXIT_CODES } from "./errors.ts";
import type { CommandOutput } from "./output.ts";
import { ENDPOINT_FALLBACK_CREDENTIALS, unreachableReason } from "./target.ts";

/**
 * The default credential chain, except against an explicit endpoint (the local emulator), where
 * a machine with no AWS credentials at all still gets a client.
 */
export async function stepFunctionsClient(config: AwsClientConfig): Promise<SFNClient> {
  const client = new SFNClient(config);
  if (config.endpoint === undefined || config.credentials !== undefined) return client;
  try {
    await client.config.credentials();
    return client;
  } catch {
    client.destroy();
    return new SFNClient({ ...config, credentials: ENDPOINT_FALLBACK_CREDENTIALS });
  }
}

/** arn:…:stateMachine:NAME + execution name → arn:…:execution:NAME:EXECUTION (the ARN AWS gives it). */
export const executionArnOf = (stateMachineArn: string, executionName: string): string =>
  `${stateMachineArn.replace(":stateMachine:", ":execution:")}:${executionName}`;

/** The execution's name is the deploy's id. */
export const executionNameOf = (executionArn: string): string => executionArn.split(":").at(-1) ?? executionArn;

/**
 * The one line for an error a user can cause or meet (exit code 2: nothing was done), or
 * undefined for anything else, which is a bug and keeps its stack trace.
 */
export function expectedErrorLine(error: unknown, where: string, subject: { stateMachineArn?: string; executionName?: string }): string | undefined {
  const reason = unreachableReason(error);
  if (reason !== undefined) return `cannot reach Step Functions at ${where}: ${reason}`;
  if (!(error instanceof Error)) return undefined;
  switch (error.name) {
    case "StateMachineDoesNotExist":
      return `no state machine ${subject.stateMachineArn ?? ""} in ${where}: deploy the stage first (npx sst deploy --stage NAME) or check --state-machine-arn`;
    case "ExecutionAlreadyExists":
      return `an execution named ${subject.executionName ?? "(that name)"} already exists for this state machine (names are unique for 90 days): choose another --name`;
    case "ExecutionDoesNotExist":
      return `no deploy ${subject.executionName ?? ""} in ${where} (ebb history lists them)`;
    case "ResourceNotFoundException":
      return `Ebb's tables are not in ${where}: deploy the stage first (npx sst deploy --stage NAME)`;
    case "InvalidArn":
    case "InvalidName":
    case "ValidationException":
    case "InvalidExecutionInput":
      return `Step Functions refused the request: ${error.message}`;
    case "AccessDeniedException":
    case "UnrecognizedClientException":
    case "ExpiredTokenException":
    case "CredentialsProviderError":
      return `AWS refused the credentials for ${where}: ${error.message}`;
    default:
      return undefined;
  }
}

/** How a finished execution is reported (text), and the exit code it means. */
export function reportExecution(described: DescribeExecutionCommandOutput, output: CommandOutput): number {
  if (described.status === "SUCCEEDED") {
    output.out(`output ${JSON.stringify(JSON.parse(described.output ?? "null"), null, 2)}`);
    return EXIT_CODES.succeeded;
  }
  output.err(`the deploy ended ${String(described.status)}${described.error === undefined ? "" : `: ${described.error}`}`);
  const cause = readableCause(described.cause);
  if (cause !== undefined) output.err(cause);
  return EXIT_CODES.failed;
}
