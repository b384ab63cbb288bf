import { isPlainObject } from "./pattern-validation.ts";
import type { EventPattern } from "./types.ts";

/**
 * EventBridge content filtering: every field named in the pattern must match (AND), each leaf
 * array is a list of alternatives (OR), an array value in the event matches when any of its
 * elements does, and `$or` takes alternative sub-patterns. Supported conditions: exact values
 * (string, number, boolean, null), prefix, suffix, equals-ignore-case, wildcard, anything-but
 * (values, prefix, suffix, equals-ignore-case, wildcard), numeric ranges and exists.
 * Call validatePattern first: this function assumes a well-formed pattern.
 */
export const matchesPattern = (pattern: EventPattern, event: unknown): boolean => matchObject(pattern, event);

const matchObject = (pattern: EventPattern, value: unknown): boolean => {
  for (const [key, sub] of Object.entries(pattern)) {
    if (key === "$or") {
      const alternatives = sub as readonly EventPattern[];
      if (!alternatives.some((alternative) => matchObject(alternative, value))) return false;
      continue;
    }
    const present = isPlainObject(value) && Object.hasOwn(value, key);
    const field = present ? value[key] : undefined;
    if (Array.isArray(sub)) {
      if (!matchLeaf(sub as readonly unknown[], field, present)) return false;
    } else if (Array.isArray(field)) {
      if (!field.some((element) => matchObject(sub as EventPattern, element))) return false;
    } else if (!matchObject(sub as EventPattern, field)) {
      return false;
    }
  }
  return true;
};

const matchLeaf = (conditions: readonly unknown[], field: unknown, present: boolean): boolean => {
  const values = Array.isArray(field) ? field : [field];
  return conditions.some((condition) => {
    if (isPlainObject(condition) && "exists" in condition) {
      const exists = present && !isPlainObject(field);
      return condition["exists"] === exists;
    }
    if (!present) return false;
    return values.some((value) => matchCondition(condition, value));
  });
};

const matchCondition = (condition: unknown, value: unknown): boolean => {
  if (!isPlainObject(condition)) return condition === value;
  const [operator, operand] = Object.entries(condition)[0] ?? [];
  switch (operator) {
    case "prefix":
    case "suffix":
    case "equals-ignore-case":
    case "wildcard":
      return matchString(operator, operand, value);
    case "anything-but":
      return !matchAnythingButOperand(operand, value);
    case "numeric":
      return typeof value === "number" && matchNumeric(operand as readonly unknown[], value);
    default:
      return false;
  }
};

/** prefix / suffix / equals-ignore-case / wildcard, where prefix and suffix may themselves ignore case. */
const matchString = (operator: string, operand: unknown, value: unknown): boolean => {
  if (typeof value !== "string") return false;
  if (isPlainObject(operand)) {
    const text = String(operand["equals-ignore-case"]).toLowerCase();
    const lower = value.toLowerCase();
    return operator === "prefix" ? lower.startsWith(text) : lower.endsWith(text);
  }
  const text = String(operand);
  switch (operator) {
    case "prefix":
      return value.startsWith(text);
    case "suffix":
      return value.endsWith(text);
    case "equals-ignore-case":
      return value.toLowerCase() === text.toLowerCase();
    default:
      return wildcardRegExp(text).test(value);
  }
};

const wildcardRegExp = (text: string): RegExp =>
  new RegExp(`^${text.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`, "s");

/** True when the value is one of the things anything-but excludes. */
const matchAnythingButOperand = (operand: unknown, value: unknown): boolean => {
  if (Array.isArray(operand)) return operand.some((excluded) => excluded === value);
  if (isPlainObject(operand)) {
    const [operator, inner] = Object.entries(operand)[0] ?? [];
    if (operator === "equals-ignore-case" && Array.isArray(inner)) return inner.some((text) => matchString(operator, text, value));
    if (operator === "prefix" || operator === "suffix") return matchString(operator, inner, value);
    if (operator === "wildcard" && Array.isArray(inner)) return inner.some((text) => matchString(operator, text, value));
    return matchString(operator ?? "", inner, value);
  }
  return operand === value;
};

const matchNumeric = (operands: readonly unknown[], value: number): boolean => {
  for (let index = 0; index + 1 < operands.length; index += 2) {
    const bound = operands[index + 1] as number;
    switch (operands[index]) {
      case "=":
        if (!(value === bound)) return false;
        break;
      case "<":
        if (!(value < bound)) return false;
        break;
      case "<=":
        if (!(value <= bound)) return false;
        break;
      case ">":
        if (!(value > bound)) return false;
        break;
      case ">=":
        if (!(value >= bound)) return false;
        break;
      default:
        return false;
    }
  }
  return true;
};
