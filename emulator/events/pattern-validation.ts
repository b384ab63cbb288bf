import { InvalidEventPatternError } from "./errors.ts";
import type { EventPattern } from "./types.ts";

const STRING_OPERATORS = new Set(["prefix", "suffix", "equals-ignore-case", "wildcard"]);
const NUMERIC_OPERATORS = new Set(["=", "<", "<=", ">", ">="]);

export const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const isScalar = (value: unknown): boolean =>
  value === null || typeof value === "string" || typeof value === "boolean" || (typeof value === "number" && Number.isFinite(value));

/**
 * Checks a pattern the way PutRule does and returns it typed, or throws InvalidEventPatternError
 * listing every problem. Accepts the JSON text or the parsed object.
 */
export const validatePattern = (input: unknown): EventPattern => {
  let pattern = input;
  if (typeof input === "string") {
    try {
      pattern = JSON.parse(input);
    } catch (error) {
      throw new InvalidEventPatternError([`not JSON: ${(error as Error).message}`]);
    }
  }
  const problems: string[] = [];
  if (!isPlainObject(pattern) || Object.keys(pattern).length === 0) {
    problems.push("the pattern must be a non-empty JSON object");
  } else {
    checkObject(pattern, "", problems);
  }
  if (problems.length > 0) throw new InvalidEventPatternError(problems);
  return pattern as EventPattern;
};

const checkObject = (pattern: Record<string, unknown>, path: string, problems: string[]): void => {
  for (const [key, sub] of Object.entries(pattern)) {
    const here = path === "" ? key : `${path}.${key}`;
    if (key === "$or") {
      if (!Array.isArray(sub) || sub.length < 2 || !sub.every(isPlainObject)) {
        problems.push(`${here}: $or takes an array of at least two patterns`);
      } else {
        sub.forEach((alternative, index) => checkObject(alternative, `${here}[${index}]`, problems));
      }
    } else if (Array.isArray(sub)) {
      if (sub.length === 0) problems.push(`${here}: empty arrays are not allowed`);
      for (const condition of sub) checkCondition(condition, here, problems);
    } else if (isPlainObject(sub)) {
      if (Object.keys(sub).length === 0) problems.push(`${here}: empty objects are not allowed`);
      checkObject(sub, here, problems);
    } else {
      problems.push(`${here}: match values must be inside an array, got ${JSON.stringify(sub)}`);
    }
  }
};

const checkCondition = (condition: unknown, path: string, problems: string[]): void => {
  if (isScalar(condition)) return;
  if (!isPlainObject(condition) || Object.keys(condition).length !== 1) {
    problems.push(`${path}: ${JSON.stringify(condition)} is not a value or a single-operator condition`);
    return;
  }
  const [operator, operand] = Object.entries(condition)[0] as [string, unknown];
  if (operator === "exists") {
    if (typeof operand !== "boolean") problems.push(`${path}: exists takes true or false`);
  } else if (operator === "prefix" || operator === "suffix") {
    const ignoringCase = isPlainObject(operand) && Object.keys(operand).length === 1 && typeof operand["equals-ignore-case"] === "string";
    if (typeof operand !== "string" && !ignoringCase) problems.push(`${path}: ${operator} takes a string or {"equals-ignore-case": string}`);
  } else if (STRING_OPERATORS.has(operator)) {
    if (typeof operand !== "string") problems.push(`${path}: ${operator} takes a string`);
  } else if (operator === "anything-but") {
    checkAnythingBut(operand, path, problems);
  } else if (operator === "numeric") {
    checkNumeric(operand, path, problems);
  } else {
    problems.push(`${path}: the operator ${operator} is not supported by the emulator`);
  }
};

const checkAnythingBut = (operand: unknown, path: string, problems: string[]): void => {
  if (isScalar(operand) && operand !== null) return;
  if (Array.isArray(operand)) {
    if (operand.length === 0 || !operand.every((value) => isScalar(value) && value !== null)) problems.push(`${path}: anything-but takes a non-empty list of values`);
    return;
  }
  if (isPlainObject(operand) && Object.keys(operand).length === 1) {
    const [operator, inner] = Object.entries(operand)[0] as [string, unknown];
    const strings = typeof inner === "string" || (Array.isArray(inner) && inner.length > 0 && inner.every((text) => typeof text === "string"));
    if (STRING_OPERATORS.has(operator) && strings) return;
  }
  problems.push(`${path}: anything-but takes a value, a list of values, or {prefix|suffix|equals-ignore-case|wildcard: ...}`);
};

const checkNumeric = (operand: unknown, path: string, problems: string[]): void => {
  const valid =
    Array.isArray(operand) &&
    (operand.length === 2 || operand.length === 4) &&
    operand.every((item, index) => (index % 2 === 0 ? NUMERIC_OPERATORS.has(String(item)) : typeof item === "number" && Number.isFinite(item)));
  if (!valid) problems.push(`${path}: numeric takes [op, number] or [op, number, op, number] with op one of = < <= > >=`);
};
