import type { JsonValue } from "./types.ts";

/** Walking ASL documents: states (including nested Parallel/Map ones) and path-valued strings. */
export type AslObject = Readonly<Record<string, unknown>>;

export const isRecord = (value: unknown): value is AslObject =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** A Task's effective Parameters as fields to read; anything but an object has none. */
export const jsonFields = (value: JsonValue): Record<string, JsonValue> =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? value : {};

export interface VisitedState {
  readonly name: string;
  readonly state: AslObject;
  /** Human-readable location, e.g. `Parallel "Fan" > branch 1 > "Check"`. */
  readonly where: string;
}

/** The nested state machines of a Parallel (Branches) or Map (Iterator / ItemProcessor) state. */
export function nestedDefinitions(state: AslObject): { label: string; definition: AslObject }[] {
  const nested: { label: string; definition: AslObject }[] = [];
  if (Array.isArray(state.Branches)) {
    state.Branches.forEach((branch, index) => {
      if (isRecord(branch)) nested.push({ label: `branch ${index + 1}`, definition: branch });
    });
  }
  for (const key of ["Iterator", "ItemProcessor"]) {
    const definition = state[key];
    if (isRecord(definition)) nested.push({ label: key, definition });
  }
  return nested;
}

/** Every state of the definition, depth first, nested ones included. */
export function collectStates(definition: AslObject, prefix = ""): VisitedState[] {
  const states = isRecord(definition.States) ? definition.States : {};
  const visited: VisitedState[] = [];
  for (const [name, state] of Object.entries(states)) {
    if (!isRecord(state)) continue;
    const where = `${prefix}"${name}"`;
    visited.push({ name, state, where });
    for (const { label, definition: nested } of nestedDefinitions(state)) {
      visited.push(...collectStates(nested, `${state.Type} ${where} > ${label} > `));
    }
  }
  return visited;
}

/** A key whose string value ASL evaluates as a path (`X.$` template keys and `*Path` fields). */
const isPathKey = (key: string): boolean => key.endsWith(".$") || key.endsWith("Path") || key === "Variable";

/** Nested machines are walked on their own; a Pass state's Result is literal JSON. */
const NOT_WALKED = new Set(["Branches", "Iterator", "ItemProcessor", "Result"]);

/**
 * Calls `visit` for every path-valued string in a state's own fields (templates included), not
 * descending into nested state machines, and returns a copy with the strings it returned.
 */
export function mapPathStrings(state: AslObject, visit: (path: string) => string): AslObject {
  const walk = (value: unknown, key: string): unknown => {
    if (typeof value === "string") return isPathKey(key) ? visit(value) : value;
    if (Array.isArray(value)) return value.map((item) => walk(item, key));
    if (!isRecord(value)) return value;
    return Object.fromEntries(
      Object.entries(value).map(([childKey, child]) =>
        key === "" && NOT_WALKED.has(childKey)
          ? [childKey, child]
          : [childKey, walk(child, childKey)],
      ),
    );
  };
  return walk(state, "") as AslObject;
}
