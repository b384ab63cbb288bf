import { ProblemListError } from "../shared/validation.ts";

/**
 * The `ebb` command's exit codes:
 *   0  the run or deploy Succeeded (doctor: no error-severity finding; status: the deploy is not failed)
 *   1  it ended otherwise (RolledBack, Failed, Aborted, timed out; doctor: an error-severity finding)
 *   2  the command could not be run as given (usage, a bad scenario or input, an unreadable file,
 *      a bad output path, a port in use, an endpoint that does not answer, an unknown state
 *      machine or deploy, an execution name in use): nothing ran
 *   3  detached (Ctrl-C) while the deploy goes on: reattach with `ebb status DEPLOY --follow`
 */
export const EXIT_CODES = { succeeded: 0, failed: 1, badInput: 2, detached: 3 } as const;

/** A command's arguments or input that cannot be used; `problems` lists every one (exit code 2). */
export class BadCommandInput extends ProblemListError {
  constructor(message: string, problems: readonly string[]) {
    super("BadCommandInput", message, problems);
  }
}

/** Nothing answers at the endpoint (or not the service expected): nothing was done (exit code 2). */
export class EndpointUnreachable extends ProblemListError {
  constructor(endpoint: string, reason: string) {
    super("EndpointUnreachable", `cannot reach ${endpoint}`, [reason]);
  }
}
