/**
 * A Catch hands the failed state's {Error, Cause} over. For a child execution (.sync:2) the Cause
 * is the child's description as JSON, whose own Error/Cause hold the real reason; a Lambda's
 * Cause is {errorType, errorMessage}. This digs out the innermost readable pair.
 */
export interface Failure {
  error: string;
  cause: string;
}

const parse = (text: string): Record<string, unknown> | undefined => {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
};

const text = (value: unknown): string | undefined => (typeof value === "string" && value !== "" ? value : undefined);

export function describeFailure(raw: { Error?: string | undefined; Cause?: string | undefined } | undefined): Failure {
  let error = raw?.Error ?? "States.TaskFailed";
  let cause = raw?.Cause ?? "";
  for (let depth = 0; depth < 4; depth += 1) {
    const inner = parse(cause);
    if (inner === undefined) break;
    const innerError = text(inner["Error"]) ?? text(inner["error"]) ?? text(inner["errorType"]);
    const innerCause = text(inner["Cause"]) ?? text(inner["cause"]) ?? text(inner["errorMessage"]);
    if (innerError === undefined && innerCause === undefined) break;
    error = innerError ?? error;
    cause = innerCause ?? "";
  }
  return { error, cause: cause === "" ? error : cause };
}
