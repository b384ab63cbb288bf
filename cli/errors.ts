import { ProblemListError } from "../core/validation.ts";

/** A command's arguments or input that cannot be used; `problems` lists every one (exit code 2). */
export class BadCommandInput extends ProblemListError {
  constructor(message: string, problems: readonly string[]) {
    super("BadCommandInput", message, problems);
  }
}
