import type { z } from "zod";

/** One line per problem, named by its path (`drain.timeoutSeconds: Too big...`), so every mistake is listed at once. */
export function describeIssues(error: z.ZodError, rootName = "(root)"): string[] {
  return error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join(".") : rootName}: ${issue.message}`);
}

/** An error that lists every problem found, one bullet per line, so a person can fix them all in one go. */
export class ProblemListError extends Error {
  readonly problems: readonly string[];

  constructor(name: string, heading: string, problems: readonly string[]) {
    super(`${heading}:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
    this.name = name;
    this.problems = problems;
  }
}
