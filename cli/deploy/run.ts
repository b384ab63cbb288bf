import { StartExecutionCommand, type SFNClient } from "@aws-sdk/client-sfn";
import { readDeployProgress } from "../../core/progress/read.ts";
import { BadCommandInput, EXIT_CODES } from "../errors.ts";
import { executionNameOf, expectedErrorLine, reportExecution, stepFunctionsClient } from "../execution.ts";
import { detachOnInterrupt, followDeploy, type FollowResult } from "../follow/follow.ts";
import { summaryLine } from "../follow/render.ts";
import { printJson, processOutput, type CommandOutput } from "../output.ts";
import { resolveTarget, targetArguments, type Target } from "../target.ts";
import { readDeployRequest } from "./request.ts";
import type { DeployFlags, DeployRequest } from "./request.ts";

export const DEPLOY_EXIT = EXIT_CODES;

interface Connection {
  client: SFNClient;
  stateMachineArn: string;
  where: string;
  target: Target | undefined;
}

async function connect(request: DeployRequest, flags: DeployFlags, environment: NodeJS.ProcessEnv): Promise<Connection> {
  const targeted = flags.stage !== undefined || flags.local === true || flags.endpoint !== undefined;
  if (!targeted) {
    // An explicit state machine, as in the first version: no stage, so only the execution is followed.
    const config = { region: request.region, ...(request.endpointUrl === undefined ? {} : { endpoint: request.endpointUrl }) };
    return { client: await stepFunctionsClient(config), stateMachineArn: request.stateMachineArn ?? "", where: request.endpointUrl ?? `the ${request.region} endpoint`, target: undefined };
  }
  const target = await resolveTarget(flags, environment);
  const stateMachineArn = request.stateMachineArn ?? target.stateMachineArn;
  if (stateMachineArn === undefined) throw new BadCommandInput("no state machine to start", ["give --state-machine-arn ARN"]);
  return { client: await stepFunctionsClient(target.clientConfig), stateMachineArn, where: target.endpoint ?? target.where, target };
}

/** The follow-up commands, with the same target flags. */
export const reattachHint = (deployId: string, target: Target | undefined, flags: DeployFlags): string => {
  const where = target !== undefined ? targetArguments(target) : flags.endpointUrl !== undefined ? `--endpoint ${flags.endpointUrl}` : "--stage NAME";
  return `reattach: ebb status ${deployId} --follow ${where}\nstop it:  ebb abort ${deployId} ${where}`;
};

/**
 * `ebb deploy` without commander: checks the request, starts the rolling-deploy execution and,
 * unless told not to wait, follows it live until it ends or Ctrl-C detaches. Resolves with the
 * process exit code.
 */
export async function runDeploy(flags: DeployFlags, output: CommandOutput = processOutput, environment = process.env): Promise<number> {
  const request = await readDeployRequest(flags, environment["AWS_ENDPOINT_URL"]).catch((error: unknown) => {
    if (!(error instanceof BadCommandInput)) throw error;
    output.err(error.message);
    return undefined;
  });
  if (request === undefined) return DEPLOY_EXIT.badInput;
  let connection: Connection | undefined;
  try {
    connection = await connect(request, flags, environment);
    return await startAndFollow(connection, request, flags, output);
  } catch (error) {
    const line = expectedErrorLine(error, connection?.where ?? request.endpointUrl ?? `the ${request.region} endpoint`, {
      stateMachineArn: connection?.stateMachineArn ?? request.stateMachineArn,
      ...(request.name === undefined ? {} : { executionName: request.name }),
    });
    if (line === undefined) throw error;
    output.err(line);
    return DEPLOY_EXIT.badInput;
  } finally {
    connection?.client.destroy();
  }
}

async function startAndFollow(connection: Connection, request: DeployRequest, flags: DeployFlags, output: CommandOutput): Promise<number> {
  const json = flags.output === "json";
  const started = await connection.client.send(
    new StartExecutionCommand({
      stateMachineArn: connection.stateMachineArn,
      input: JSON.stringify(request.input),
      ...(request.name === undefined ? {} : { name: request.name }),
    }),
  );
  const executionArn = started.executionArn ?? "";
  const deployId = executionNameOf(executionArn);
  if (!json) output.out(`started ${executionArn}`);
  if (!request.wait) {
    if (json) printJson(output, { executionArn, deployId });
    return DEPLOY_EXIT.succeeded;
  }
  const target = connection.target;
  const runtime = target?.runtime();
  const interrupt = detachOnInterrupt();
  let result: FollowResult;
  try {
    result = await followDeploy({
      sfn: connection.client,
      executionArn,
      ...(runtime === undefined || target === undefined ? {} : { readProgress: async () => readDeployProgress(runtime, deployId, await target.now()) }),
      pollSeconds: request.pollSeconds,
      output,
      live: output.live === true,
      quiet: json,
      signal: interrupt.signal,
    }, `Deploying ${deployId}`);
  } finally {
    interrupt.dispose();
  }
  if (json) printJson(output, { executionArn, deployId, status: result.described.status, detached: result.detached, progress: result.progress, output: result.described.output === undefined ? undefined : JSON.parse(result.described.output) as unknown });
  if (result.detached) {
    if (!json) output.err(`detached: deploy ${deployId} goes on (${String(result.described.status)})\n${reattachHint(deployId, target, flags)}`);
    return DEPLOY_EXIT.detached;
  }
  if (json) return result.described.status === "SUCCEEDED" ? DEPLOY_EXIT.succeeded : DEPLOY_EXIT.failed;
  const progress = result.progress;
  if (result.described.status === "SUCCEEDED" && progress !== undefined && target !== undefined) {
    output.out(`${summaryLine(progress)}; ebb history ${targetArguments(target)} lists it`);
    return DEPLOY_EXIT.succeeded;
  }
  return reportExecution(result.described, output);
}
