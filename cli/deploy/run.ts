import { setTimeout as sleep } from "node:timers/promises";
import { DescribeExecutionCommand, SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";
import type { DescribeExecutionCommandOutput, ExecutionStatus } from "@aws-sdk/client-sfn";
import { readableCause } from "../../sim/execution-cause.ts";
import { BadCommandInput, EXIT_CODES } from "../errors.ts";
import { readDeployRequest } from "./request.ts";
import type { DeployFlags, DeployRequest } from "./request.ts";

export const DEPLOY_EXIT = EXIT_CODES;

/** Where the command writes: stdout for what it reports, stderr for what went wrong. */
export interface DeployOutput {
  out(line: string): void;
  err(line: string): void;
}

const processOutput: DeployOutput = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/** An emulator accepts any signature; these only stand in when nothing else is configured. */
const ENDPOINT_FALLBACK_CREDENTIALS = { accessKeyId: "AKIAEBBCLIENDPOINT", secretAccessKey: "ebb-cli-any-credentials-work" };

/**
 * The default credential chain, except against an explicit endpoint (the local emulator), where
 * a machine with no AWS credentials at all still gets a client.
 */
async function stepFunctionsClient(request: DeployRequest): Promise<SFNClient> {
  const config = { region: request.region, ...(request.endpointUrl === undefined ? {} : { endpoint: request.endpointUrl }) };
  const client = new SFNClient(config);
  if (request.endpointUrl === undefined) return client;
  try {
    await client.config.credentials();
    return client;
  } catch {
    client.destroy();
    return new SFNClient({ ...config, credentials: ENDPOINT_FALLBACK_CREDENTIALS });
  }
}

const FINISHED: ReadonlySet<ExecutionStatus | undefined> = new Set<ExecutionStatus | undefined>(["SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"]);

async function watch(client: SFNClient, executionArn: string, pollSeconds: number, output: DeployOutput): Promise<DescribeExecutionCommandOutput> {
  let reported: ExecutionStatus | undefined;
  for (;;) {
    const described = await client.send(new DescribeExecutionCommand({ executionArn }));
    if (described.status !== reported) {
      reported = described.status;
      output.out(`status ${String(reported)}`);
    }
    if (FINISHED.has(described.status)) return described;
    // Step Functions has no execution waiter in the SDK: poll, as the console does.
    await sleep(pollSeconds * 1000);
  }
}

function report(described: DescribeExecutionCommandOutput, output: DeployOutput): number {
  if (described.status === "SUCCEEDED") {
    output.out(`output ${JSON.stringify(JSON.parse(described.output ?? "null"), null, 2)}`);
    return DEPLOY_EXIT.succeeded;
  }
  output.err(`the deploy ended ${String(described.status)}${described.error === undefined ? "" : `: ${described.error}`}`);
  const cause = readableCause(described.cause);
  if (cause !== undefined) output.err(cause);
  return DEPLOY_EXIT.failed;
}

/**
 * `ebb deploy` without commander: checks the request, starts the rolling-deploy execution and,
 * unless told not to wait, follows it to the end. Resolves with the process exit code.
 */
export async function runDeploy(flags: DeployFlags, output: DeployOutput = processOutput, environment = process.env): Promise<number> {
  let request: DeployRequest;
  try {
    request = await readDeployRequest(flags, environment["AWS_ENDPOINT_URL"]);
  } catch (error) {
    if (!(error instanceof BadCommandInput)) throw error;
    output.err(error.message);
    return DEPLOY_EXIT.badInput;
  }
  const client = await stepFunctionsClient(request);
  try {
    return await startAndFollow(client, request, output);
  } catch (error) {
    const unreachable = unreachableReason(error);
    if (unreachable === undefined) throw error;
    output.err(`cannot reach Step Functions at ${request.endpointUrl ?? `the ${request.region} endpoint`}: ${unreachable}`);
    return DEPLOY_EXIT.badInput;
  } finally {
    client.destroy();
  }
}

/** Errors of the network itself, not of Step Functions: nothing was started (or nothing can be followed). */
const NETWORK_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ECONNRESET", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH"]);

function unreachableReason(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && NETWORK_CODES.has(code)) return `${code} (${error.message})`;
  if (error.name === "TimeoutError") return error.message;
  return undefined;
}

async function startAndFollow(client: SFNClient, request: DeployRequest, output: DeployOutput): Promise<number> {
  const started = await client.send(
    new StartExecutionCommand({
      stateMachineArn: request.stateMachineArn,
      input: JSON.stringify(request.input),
      ...(request.name === undefined ? {} : { name: request.name }),
    }),
  );
  const executionArn = started.executionArn ?? "";
  output.out(`started ${executionArn}`);
  if (!request.wait) return DEPLOY_EXIT.succeeded;
  return report(await watch(client, executionArn, request.pollSeconds, output), output);
}
