/** A Lambda error's Cause is `{"errorMessage", "errorType"}` JSON: a person wants the message. */
export function readableCause(cause: string | undefined): string | undefined {
  if (cause === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(cause);
    if (typeof parsed === "object" && parsed !== null && "errorMessage" in parsed && typeof parsed.errorMessage === "string") {
      return parsed.errorMessage;
    }
  } catch {
    // not JSON: a Fail state's own cause
  }
  return cause;
}
