import { type AslObject, collectStates, isRecord, mapPathStrings, nestedDefinitions } from "./asl.ts";
import { InvalidDefinitionError, UnsupportedDefinitionError } from "./errors.ts";
import { findHandler, functionKeys } from "./naming.ts";
import type { AslDefinition, StateType, TaskHandlers } from "./types.ts";
import { LAMBDA_INVOKE, START_EXECUTION, START_EXECUTION_SYNC, START_EXECUTION_SYNC2, invalidDefinitionProblems, validateDefinition } from "./validate.ts";

export interface Retrier {
  readonly errorEquals: readonly string[];
  readonly intervalSeconds: number;
  readonly maxAttempts: number;
  readonly backoffRate: number;
  readonly maxDelaySeconds: number | undefined;
  readonly jitter: "NONE" | "FULL";
}

export type TaskIntegration =
  /** A handler called request-response; `events` names the history events AWS writes for it. */
  | { readonly kind: "function"; readonly events: "LambdaFunction" | "Task" }
  | { readonly kind: "lambda-invoke" }
  | { readonly kind: "start-execution"; readonly pattern: "async" | "sync" | "sync:2" };

export interface TaskSpec {
  readonly stateName: string;
  readonly resource: string;
  readonly integration: TaskIntegration;
  readonly retriers: readonly Retrier[];
  readonly timeoutSeconds: number | undefined;
  readonly heartbeatSeconds: number | undefined;
}

export interface WaitSpec {
  readonly stateName: string;
  readonly seconds: number | undefined;
  readonly timestamp: string | undefined;
}

export interface PreparedMachine {
  /** The definition handed to aws-local-stepfunctions (Waits become local Tasks). */
  readonly runnable: AslDefinition;
  readonly tasks: ReadonlyMap<string, TaskSpec>;
  readonly waits: ReadonlyMap<string, WaitSpec>;
  readonly stateTypes: ReadonlyMap<string, StateType>;
  readonly timeoutSeconds: number | undefined;
}

/** Context fields the package would fill from the wall clock are read from this key instead. */
export const VIRTUAL_EXECUTION_KEY = "VirtualExecution";
/** Keeps the package's real-time Task timer (setTimeout) from firing; Task timeouts run on virtual time. */
const REAL_TIME_GUARD_SECONDS = 2_000_000;
const LOCAL_WAIT_RESOURCE = "arn:aws:states:::ebb-local:wait";

const numberOr = (value: unknown, fallback: number): number => (typeof value === "number" ? value : fallback);

function retriersOf(state: AslObject): Retrier[] {
  return (Array.isArray(state.Retry) ? state.Retry : []).filter(isRecord).map((retrier) => ({
    errorEquals: Array.isArray(retrier.ErrorEquals) ? retrier.ErrorEquals.filter((e) => typeof e === "string") : [],
    intervalSeconds: numberOr(retrier.IntervalSeconds, 1),
    maxAttempts: numberOr(retrier.MaxAttempts, 3),
    backoffRate: numberOr(retrier.BackoffRate, 2),
    maxDelaySeconds: typeof retrier.MaxDelaySeconds === "number" ? retrier.MaxDelaySeconds : undefined,
    jitter: retrier.JitterStrategy === "FULL" ? "FULL" : "NONE",
  }));
}

function integrationOf(state: AslObject, handlers: TaskHandlers, where: string, problems: string[]): TaskIntegration {
  const resource = typeof state.Resource === "string" ? state.Resource : "";
  if (resource === START_EXECUTION) return { kind: "start-execution", pattern: "async" };
  if (resource === START_EXECUTION_SYNC) return { kind: "start-execution", pattern: "sync" };
  if (resource === START_EXECUTION_SYNC2) return { kind: "start-execution", pattern: "sync:2" };
  if (resource === LAMBDA_INVOKE) {
    const parameters = isRecord(state.Parameters) ? state.Parameters : {};
    const functionName = parameters.FunctionName;
    if (typeof functionName === "string" && findHandler(handlers, functionName) === undefined) {
      problems.push(`${where}: no handler for FunctionName ${functionName} (keys tried: ${functionKeys(functionName).join(", ")})`);
    } else if (functionName === undefined && typeof parameters["FunctionName.$"] !== "string") {
      problems.push(`${where}: lambda:invoke needs Parameters.FunctionName`);
    }
    return { kind: "lambda-invoke" };
  }
  if (findHandler(handlers, resource) === undefined) {
    const what = resource.startsWith("arn:aws:states:::") ? "unsupported integration" : "no handler for Resource";
    problems.push(`${where}: ${what} ${resource} (keys tried: ${functionKeys(resource).join(", ")})`);
  }
  const isLambda = /^\$\{[^}]+\}$/.test(resource) || /^arn:aws[a-z-]*:lambda:/.test(resource);
  return { kind: "function", events: isLambda ? "LambdaFunction" : "Task" };
}

const virtualContextPaths = (state: AslObject): AslObject =>
  mapPathStrings(state, (path) => path.replace(/\$\$\.Execution\b/g, `$$$$.${VIRTUAL_EXECUTION_KEY}`));

function waitAsLocalTask(state: AslObject): AslObject {
  const parameters: Record<string, string> = { "input.$": "$" };
  if (typeof state.SecondsPath === "string") parameters["seconds.$"] = state.SecondsPath;
  if (typeof state.TimestampPath === "string") parameters["timestamp.$"] = state.TimestampPath;
  const kept = Object.entries(state).filter(([key]) => ["Comment", "InputPath", "OutputPath", "Next", "End"].includes(key));
  return { ...Object.fromEntries(kept), Type: "Task", Resource: LOCAL_WAIT_RESOURCE, Parameters: parameters, TimeoutSeconds: REAL_TIME_GUARD_SECONDS };
}

function runnableMachine(machine: AslObject): AslObject {
  const states = isRecord(machine.States) ? machine.States : {};
  const rewritten = Object.entries(states).map(([name, raw]) => {
    if (!isRecord(raw)) return [name, raw];
    let state = virtualContextPaths(raw);
    if (state.Type === "Wait") return [name, waitAsLocalTask(state)];
    if (state.Type === "Task") {
      const { Retry: _retry, TimeoutSeconds: _timeout, HeartbeatSeconds: _heartbeat, ...rest } = state;
      state = { ...rest, TimeoutSeconds: REAL_TIME_GUARD_SECONDS };
    }
    for (const { label, definition } of nestedDefinitions(raw)) {
      if (label.startsWith("branch")) continue;
      state = { ...state, [label]: runnableMachine(definition) };
    }
    if (Array.isArray(raw.Branches)) state = { ...state, Branches: raw.Branches.filter(isRecord).map(runnableMachine) };
    return [name, state];
  });
  const { TimeoutSeconds: _timeout, ...rest } = machine;
  return { ...rest, States: Object.fromEntries(rewritten) };
}

/**
 * Checks a definition (asl-validator, unsupported features, a handler for every static Task
 * resource) and rewrites it for aws-local-stepfunctions: Waits become Tasks served by the runner
 * (so they move the virtual clock), Task Retry/TimeoutSeconds/HeartbeatSeconds are handled by the
 * runner on virtual time, and `$$.Execution` reads the virtual context. Throws
 * InvalidDefinitionError for what CreateStateMachine rejects, then UnsupportedDefinitionError
 * with every local problem listed.
 */
export function prepareDefinition(stateMachineName: string, definition: AslDefinition, handlers: TaskHandlers): PreparedMachine {
  // CreateStateMachine rejects an invalid definition before anything local is considered.
  const invalid = invalidDefinitionProblems(definition);
  if (invalid.length > 0) throw new InvalidDefinitionError(invalid);
  const problems = validateDefinition(definition);
  const tasks = new Map<string, TaskSpec>();
  const waits = new Map<string, WaitSpec>();
  const stateTypes = new Map<string, StateType>();
  for (const { name, state, where } of collectStates(definition)) {
    stateTypes.set(name, state.Type as StateType);
    if (state.Type === "Task") {
      const timeoutSeconds = typeof state.TimeoutSeconds === "number" ? state.TimeoutSeconds : undefined;
      const heartbeatSeconds = typeof state.HeartbeatSeconds === "number" ? state.HeartbeatSeconds : undefined;
      const integration = integrationOf(state, handlers, where, problems);
      tasks.set(name, { stateName: name, resource: String(state.Resource), integration, retriers: retriersOf(state), timeoutSeconds, heartbeatSeconds });
    } else if (state.Type === "Wait") {
      const seconds = typeof state.Seconds === "number" ? state.Seconds : undefined;
      const timestamp = typeof state.Timestamp === "string" ? state.Timestamp : undefined;
      waits.set(name, { stateName: name, seconds, timestamp });
    }
  }
  if (problems.length > 0) throw new UnsupportedDefinitionError(stateMachineName, problems);
  const timeoutSeconds = typeof definition.TimeoutSeconds === "number" ? definition.TimeoutSeconds : undefined;
  return { runnable: runnableMachine(definition), tasks, waits, stateTypes, timeoutSeconds };
}
