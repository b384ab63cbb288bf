import type { z } from "zod";

/** One line per problem, named by its path (`drain.timeoutSeconds: Too big...`), so every mistake is listed at once. */
export function describeIssues(error: z.ZodError, rootName = "(root)"): string[] {
  return error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join(".") : rootName}: ${issue.message}`);
}
