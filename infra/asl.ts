import { UnresolvedPlaceholderError } from "./errors.ts";
import { withLockLostCatchers } from "./lock-lost.ts";
import { withTransientRetries } from "./retry.ts";

/**
 * ASL documents in workflows/ reference deploy-time ARNs as `${Name}` placeholders:
 * `${CheckDrainFunctionArn}` is the Lambda built from functions/check-drain.ts and
 * `${DeployBatchStateMachineArn}` the state machine built from workflows/deploy-batch.asl.json.
 */

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

const PLACEHOLDER = /\$\{([A-Za-z][A-Za-z0-9]*)\}/g;
const KEBAB_NAME = /^[a-z][a-z0-9]*(?:-[a-z][a-z0-9]*)*$/;
const FUNCTION_SUFFIX = "FunctionArn";
const STATE_MACHINE_SUFFIX = "StateMachineArn";

export function isKebabName(name: string): boolean {
  return KEBAB_NAME.test(name);
}

/** `check-drain` → `CheckDrain`. */
export function pascalOf(kebabName: string): string {
  if (!isKebabName(kebabName)) {
    throw new Error(`"${kebabName}" is not a kebab-case name (lowercase words starting with a letter, joined by "-")`);
  }
  return kebabName
    .split("-")
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join("");
}

function kebabOf(pascalName: string): string | undefined {
  if (!/^(?:[A-Z][a-z0-9]*)+$/.test(pascalName)) return undefined;
  return pascalName.replace(/(?!^)([A-Z])/g, "-$1").toLowerCase();
}

function nameBefore(placeholder: string, suffix: string): string | undefined {
  if (!placeholder.endsWith(suffix) || placeholder.length === suffix.length) return undefined;
  return kebabOf(placeholder.slice(0, -suffix.length));
}

/** functions/check-drain.ts → `CheckDrainFunctionArn`. */
export function placeholderForFunction(functionName: string): string {
  return `${pascalOf(functionName)}${FUNCTION_SUFFIX}`;
}

/** `CheckDrainFunctionArn` → `check-drain`; undefined for any other kind of placeholder. */
export function functionNameForPlaceholder(placeholder: string): string | undefined {
  return nameBefore(placeholder, FUNCTION_SUFFIX);
}

/** workflows/deploy-batch.asl.json → `DeployBatchStateMachineArn`. */
export function placeholderForStateMachine(workflowName: string): string {
  return `${pascalOf(workflowName)}${STATE_MACHINE_SUFFIX}`;
}

/** `DeployBatchStateMachineArn` → `deploy-batch`; undefined for any other kind of placeholder. */
export function stateMachineNameForPlaceholder(placeholder: string): string | undefined {
  return nameBefore(placeholder, STATE_MACHINE_SUFFIX);
}

/**
 * The substitution table for a project's workflows, from each function's and each workflow's ARN
 * by name: the deploy and the emulator name them differently but render the same way.
 */
export function placeholderSubstitutions(
  functionArns: Iterable<readonly [name: string, arn: string]>,
  stateMachineArns: Iterable<readonly [name: string, arn: string]>,
): Record<string, string> {
  const substitutions: Record<string, string> = {};
  for (const [name, arn] of functionArns) substitutions[placeholderForFunction(name)] = arn;
  for (const [name, arn] of stateMachineArns) substitutions[placeholderForStateMachine(name)] = arn;
  return substitutions;
}

function collectStrings(value: JsonValue, into: string[]): void {
  if (typeof value === "string") {
    into.push(value);
  } else if (Array.isArray(value)) {
    for (const item of value) collectStrings(item, into);
  } else if (value !== null && typeof value === "object") {
    for (const item of Object.values(value)) collectStrings(item, into);
  }
}

/** Every distinct placeholder name used in string values of the document, sorted. */
export function placeholdersOf(definition: JsonValue): string[] {
  const strings: string[] = [];
  collectStrings(definition, strings);
  const names = new Set<string>();
  for (const text of strings) {
    for (const match of text.matchAll(PLACEHOLDER)) names.add(match[1] as string);
  }
  return [...names].sort();
}

function substitute(value: JsonValue, substitutions: Readonly<Record<string, string>>): JsonValue {
  if (typeof value === "string") {
    return value.replace(PLACEHOLDER, (whole, name: string) => substitutions[name] ?? whole);
  }
  if (Array.isArray(value)) return value.map((item) => substitute(item, substitutions));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, substitute(item, substitutions)]));
  }
  return value;
}

/**
 * A copy of the ASL document with every `${Name}` replaced by `substitutions[Name]`.
 * Throws UnresolvedPlaceholderError naming every placeholder without a substitution; extra
 * substitutions are fine (one table serves every workflow).
 */
export function renderDefinition(
  definition: JsonValue,
  substitutions: Readonly<Record<string, string>>,
  documentName = "ASL definition",
): JsonValue {
  const unresolved = placeholdersOf(definition).filter((name) => !Object.hasOwn(substitutions, name));
  if (unresolved.length > 0) throw new UnresolvedPlaceholderError(documentName, unresolved);
  return substitute(definition, substitutions);
}

/** A workflow as it is deployed (and run locally): transient retries and lock-lost catchers added, then placeholders substituted. */
export function renderWorkflow(
  definition: JsonValue,
  substitutions: Readonly<Record<string, string>>,
  documentName: string,
): JsonValue {
  return renderDefinition(withLockLostCatchers(withTransientRetries(definition, documentName)), substitutions, documentName);
}
