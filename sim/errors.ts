import { ProblemListError } from "../shared/validation.ts";

/** A scenario config that cannot be used; `problems` names every field at fault. */
export class ScenarioConfigError extends ProblemListError {
  constructor(message: string, problems: readonly string[]) {
    super("ScenarioConfigError", message, problems);
  }
}
