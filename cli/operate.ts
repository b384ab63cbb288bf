import type { SFNClient } from "@aws-sdk/client-sfn";
import { DeployStateError } from "../core/errors.ts";
import type { Runtime } from "../core/runtime.ts";
import { ProblemListError } from "../shared/validation.ts";
import { EXIT_CODES } from "./errors.ts";
import { expectedErrorLine, stepFunctionsClient } from "./execution.ts";
import type { CommandOutput } from "./output.ts";
import { resolveTarget, type Target, type TargetFlags } from "./target.ts";

export interface Operation {
  target: Target;
  sfn: SFNClient;
  runtime: Runtime;
  stateMachineArn: string;
}

/**
 * Runs a command against its target: resolves the flags, builds the clients, and turns every
 * expected failure (unreachable endpoint, unknown deploy or state machine, a refused request)
 * into one line on stderr and exit code 2.
 */
export async function operate(
  flags: TargetFlags,
  output: CommandOutput,
  subject: { executionName?: string },
  work: (operation: Operation) => Promise<number>,
  environment: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  let where = flags.endpoint ?? (flags.stage === undefined ? "the emulator" : `stage ${flags.stage}`);
  let operation: Operation | undefined;
  try {
    const target = await resolveTarget(flags, environment);
    where = target.endpoint ?? target.where;
    const stateMachineArn = target.stateMachineArn ?? "";
    operation = { target, sfn: await stepFunctionsClient(target.clientConfig), runtime: target.runtime(), stateMachineArn };
    return await work(operation);
  } catch (error) {
    if (error instanceof ProblemListError) {
      output.err(error.message);
      return EXIT_CODES.badInput;
    }
    if (error instanceof DeployStateError) {
      output.err(`${error.message} in ${where} (ebb history lists the deploys)`);
      return EXIT_CODES.badInput;
    }
    const line = expectedErrorLine(error, where, { stateMachineArn: operation?.stateMachineArn ?? "", ...subject });
    if (line === undefined) throw error;
    output.err(line);
    return EXIT_CODES.badInput;
  } finally {
    operation?.sfn.destroy();
    operation?.runtime.clients.dynamo.destroy();
  }
}
