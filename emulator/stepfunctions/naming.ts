import type { TaskHandler, TaskHandlers } from "./types.ts";

const PLACEHOLDER = /^\$\{([^}]+)\}$/;
const LAMBDA_ARN = /^arn:aws[a-z-]*:lambda:[^:]*:[^:]*:function:([^:]+)(?::[^:]+)?$/;
const PARTIAL_LAMBDA_ARN = /^(?:\d{12}:)?function:([^:]+)(?::[^:]+)?$/;
const STATE_MACHINE_ARN = /^arn:aws[a-z-]*:states:[^:]*:[^:]*:stateMachine:([^:]+)$/;

/** The keys a function reference (Resource or FunctionName) may be registered under, in lookup order. */
export function functionKeys(reference: string): string[] {
  const keys = [reference];
  const inner = PLACEHOLDER.exec(reference)?.[1];
  if (inner !== undefined) keys.push(inner);
  const name = LAMBDA_ARN.exec(reference)?.[1] ?? PARTIAL_LAMBDA_ARN.exec(reference)?.[1];
  if (name !== undefined) keys.push(name);
  return keys;
}

export function findHandler(handlers: TaskHandlers, reference: string): { key: string; handler: TaskHandler } | undefined {
  for (const key of functionKeys(reference)) {
    const handler = handlers[key];
    if (handler !== undefined) return { key, handler };
  }
  return undefined;
}

/** The keys a state machine reference (ARN, `${Placeholder}` or name) may be registered under. */
export function stateMachineKeys(reference: string): string[] {
  const keys = [reference];
  const inner = PLACEHOLDER.exec(reference)?.[1];
  if (inner !== undefined) keys.push(inner);
  const name = STATE_MACHINE_ARN.exec(reference)?.[1];
  if (name !== undefined) keys.push(name);
  return keys;
}

/** AWS's rule for state machine and execution names: 1-80 characters, none of these. */
const FORBIDDEN_NAME_CHARACTERS = /[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]/u;

export const isValidResourceName = (name: string): boolean =>
  name.length >= 1 && name.length <= 80 && !FORBIDDEN_NAME_CHARACTERS.test(name);
