import { ProblemListError } from "../shared/validation.ts";

/** A stage file that is missing, not JSON, or fails validation; `problems` lists every issue. */
export class StageConfigError extends ProblemListError {
  constructor(source: string, problems: readonly string[]) {
    super("StageConfigError", `Invalid stage configuration ${source}`, problems);
  }
}

/** An ASL document still holding `${...}` placeholders that no substitution resolves. */
export class UnresolvedPlaceholderError extends Error {
  readonly placeholders: readonly string[];

  constructor(documentName: string, placeholders: readonly string[]) {
    super(`Unresolved placeholders in ${documentName}: ${placeholders.map((name) => `\${${name}}`).join(", ")}`);
    this.name = "UnresolvedPlaceholderError";
    this.placeholders = placeholders;
  }
}

/** IAM statements that grant a mutating action on every resource. */
export class LeastPrivilegeError extends Error {
  readonly violations: readonly string[];

  constructor(violations: readonly string[]) {
    super(`IAM statements break least privilege:\n${violations.map((violation) => `  - ${violation}`).join("\n")}`);
    this.name = "LeastPrivilegeError";
    this.violations = violations;
  }
}

/** The project's functions/ and workflows/ do not fit the conventions infra/ deploys by. */
export class ConventionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConventionError";
  }
}

/** A workflow lists a transient error in its own Retry: those come from infra/retry.ts only. */
export class HandWrittenRetryError extends Error {
  readonly problems: readonly string[];

  constructor(documentName: string, problems: readonly string[]) {
    super(`${documentName} has hand-written transient retries (infra/retry.ts adds them to every Task): ${problems.join("; ")}`);
    this.name = "HandWrittenRetryError";
    this.problems = problems;
  }
}
