import { ProblemListError } from "../shared/validation.ts";

/**
 * The `ebb` command's exit codes: 0 the run or deploy Succeeded, 1 it ended otherwise (RolledBack,
 * Failed, Aborted, timed out), 2 the command could not be run as given (usage, a bad scenario or
 * input, an unreadable file, a port in use, an endpoint that does not answer): nothing ran.
 */
export const EXIT_CODES = { succeeded: 0, failed: 1, badInput: 2 } as const;

/** A command's arguments or input that cannot be used; `problems` lists every one (exit code 2). */
export class BadCommandInput extends ProblemListError {
  constructor(message: string, problems: readonly string[]) {
    super("BadCommandInput", message, problems);
  }
}
