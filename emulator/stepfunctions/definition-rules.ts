import { type AslObject, isRecord } from "./asl.ts";
import type { AslDefinition } from "./types.ts";

/**
 * The Amazon States Language rules CreateStateMachine enforces that asl-validator 4 does not
 * (https://states-language.net/spec.html, "Retrying after error" and "Fallback states"):
 *   - ErrorEquals "MUST be a non-empty array of Strings";
 *   - "States.ALL" "MUST appear alone in the ErrorEquals array and MUST appear in the last
 *     Retrier" (likewise the last Catcher);
 *   - IntervalSeconds "MUST be a positive integer", BackoffRate "MUST be greater than or equal
 *     to 1.0", MaxAttempts "MUST be a non-negative integer";
 *   - "If provided, the HeartbeatSeconds interval MUST be smaller than the TimeoutSeconds value".
 * Each problem reads `CODE: message at /json/pointer`, as AWS's InvalidDefinition lists them.
 */

interface PointedState {
  readonly state: AslObject;
  readonly pointer: string;
}

function statesWithPointers(machine: AslObject, prefix: string): PointedState[] {
  const states = isRecord(machine.States) ? machine.States : {};
  const found: PointedState[] = [];
  for (const [name, state] of Object.entries(states)) {
    if (!isRecord(state)) continue;
    const pointer = `${prefix}/States/${name}`;
    found.push({ state, pointer });
    if (Array.isArray(state.Branches)) {
      state.Branches.forEach((branch, index) => {
        if (isRecord(branch)) found.push(...statesWithPointers(branch, `${pointer}/Branches/${index}`));
      });
    }
    for (const key of ["Iterator", "ItemProcessor"]) {
      const nested = state[key];
      if (isRecord(nested)) found.push(...statesWithPointers(nested, `${pointer}/${key}`));
    }
  }
  return found;
}

const invalid = (message: string, pointer: string): string => `SCHEMA_VALIDATION_FAILED: ${message} at ${pointer}`;

function errorEqualsProblems(field: "Retry" | "Catch", handlers: readonly unknown[], pointer: string): string[] {
  const problems: string[] = [];
  handlers.forEach((handler, index) => {
    if (!isRecord(handler) || !Array.isArray(handler.ErrorEquals)) return;
    const at = `${pointer}/${field}/${index}/ErrorEquals`;
    const errors = handler.ErrorEquals;
    if (errors.length === 0) problems.push(invalid("ErrorEquals must be a non-empty array", at));
    if (!errors.includes("States.ALL")) return;
    if (errors.length > 1) problems.push(invalid("States.ALL must appear alone in ErrorEquals", at));
    if (index !== handlers.length - 1) {
      const kind = field === "Retry" ? "Retrier" : "Catcher";
      problems.push(invalid(`States.ALL must appear in the last ${kind}`, at));
    }
  });
  return problems;
}

function retrierProblems(retriers: readonly unknown[], pointer: string): string[] {
  const problems: string[] = [];
  retriers.forEach((retrier, index) => {
    if (!isRecord(retrier)) return;
    const at = `${pointer}/Retry/${index}`;
    const { IntervalSeconds: interval, BackoffRate: backoff, MaxAttempts: attempts } = retrier;
    if (interval !== undefined && !(typeof interval === "number" && Number.isInteger(interval) && interval >= 1)) {
      problems.push(invalid("The value for the field 'IntervalSeconds' must be a positive integer", `${at}/IntervalSeconds`));
    }
    if (backoff !== undefined && !(typeof backoff === "number" && backoff >= 1)) {
      problems.push(invalid("The value for the field 'BackoffRate' must be >= 1.0", `${at}/BackoffRate`));
    }
    if (attempts !== undefined && !(typeof attempts === "number" && Number.isInteger(attempts) && attempts >= 0)) {
      problems.push(invalid("The value for the field 'MaxAttempts' must be a non-negative integer", `${at}/MaxAttempts`));
    }
  });
  return problems;
}

/** Every rule above the definition breaks (empty when it satisfies them all). */
export function definitionRuleProblems(definition: AslDefinition): string[] {
  const problems: string[] = [];
  for (const { state, pointer } of statesWithPointers(definition, "")) {
    if (Array.isArray(state.Retry)) problems.push(...errorEqualsProblems("Retry", state.Retry, pointer), ...retrierProblems(state.Retry, pointer));
    if (Array.isArray(state.Catch)) problems.push(...errorEqualsProblems("Catch", state.Catch, pointer));
    const { TimeoutSeconds: timeout, HeartbeatSeconds: heartbeat } = state;
    if (typeof heartbeat === "number" && typeof timeout === "number" && heartbeat >= timeout) {
      problems.push(invalid("The value for the field 'HeartbeatSeconds' must be smaller than the value for the field 'TimeoutSeconds'", `${pointer}/HeartbeatSeconds`));
    }
  }
  return problems;
}
