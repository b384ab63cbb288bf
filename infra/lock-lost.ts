import type { JsonValue } from "./asl.ts";

/**
 * A deploy that lost its group's lock (DeployLockLost, see core/deploy/lease.ts) must stop, not
 * roll back or clean up: the fleet is someone else's now. A workflow that declares a Fail state
 * of that name gets, when rendered, a catcher sending DeployLockLost there from every Task,
 * ahead of its own catchers (a `States.ALL` catcher would otherwise start a rollback).
 */
export const LOCK_LOST = "DeployLockLost";

const isObject = (value: JsonValue | undefined): value is { [key: string]: JsonValue } =>
  typeof value === "object" && value !== null && !Array.isArray(value);

export function withLockLostCatchers(definition: JsonValue): JsonValue {
  if (!isObject(definition) || !isObject(definition["States"])) return definition;
  const target = definition["States"][LOCK_LOST];
  if (!isObject(target) || target["Type"] !== "Fail") return definition;
  const states: { [key: string]: JsonValue } = {};
  for (const [name, state] of Object.entries(definition["States"])) {
    const own = isObject(state) && Array.isArray(state["Catch"]) ? state["Catch"] : [];
    states[name] = isObject(state) && state["Type"] === "Task" ? { ...state, Catch: [{ ErrorEquals: [LOCK_LOST], Next: LOCK_LOST }, ...own] } : state;
  }
  return { ...definition, States: states };
}
