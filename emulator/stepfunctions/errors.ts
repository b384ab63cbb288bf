import { ProblemListError } from "../../shared/validation.ts";
import { PackageTimeoutError } from "./timeout-error.ts";

/** A definition the local runner cannot run faithfully; lists every problem at once. */
export class UnsupportedDefinitionError extends ProblemListError {
  constructor(stateMachineName: string, problems: readonly string[]) {
    super("UnsupportedDefinitionError", `state machine ${stateMachineName} cannot run locally`, problems);
  }
}

/**
 * A definition CreateStateMachine would reject (InvalidDefinition). The message has AWS's shape:
 * `Invalid State Machine Definition: 'CODE: message at /path', ...`.
 */
export class InvalidDefinitionError extends Error {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`Invalid State Machine Definition: ${problems.map((problem) => `'${problem}'`).join(", ")}`);
    this.name = "InvalidDefinitionError";
    this.problems = problems;
  }
}

/**
 * Errors no Retry or Catch handles: "A States.Runtime error isn't retriable, and will always
 * cause the execution to fail", and States.DataLimitExceeded is "a terminal error" (Step
 * Functions developer guide, "Handling errors in Step Functions workflows",
 * https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html).
 */
export const TERMINAL_ERRORS: ReadonlySet<string> = new Set(["States.Runtime", "States.DataLimitExceeded"]);

/** The timeouts a `States.TaskFailed` wildcard does not match (see isTimeout). */
export const TIMEOUT_ERRORS: ReadonlySet<string> = new Set(["States.Timeout", "States.HeartbeatTimeout"]);

/**
 * An error as a Task reports it to Retry/Catch: `name` is the ASL error name (a Lambda function's
 * errorType), `message` is the Cause string exactly as Step Functions would store it.
 */
export class TaskFailure extends Error {
  constructor(errorName: string, cause: string) {
    super(cause);
    this.name = errorName;
  }

  /** Read by aws-local-stepfunctions' Catch matching: a terminal error is never caught. */
  get isCatchable(): boolean {
    return !TERMINAL_ERRORS.has(this.name);
  }

  get isRetryable(): boolean {
    return !TERMINAL_ERRORS.has(this.name);
  }

  /** A Lambda function error: Cause is the JSON error document Lambda returns. */
  static fromHandlerError(thrown: unknown): TaskFailure {
    const errorType = thrown instanceof Error ? thrown.name : "Error";
    const errorMessage = thrown instanceof Error ? thrown.message : String(thrown);
    return new TaskFailure(errorType, JSON.stringify({ errorMessage, errorType }));
  }
}

/**
 * A Task that ran past TimeoutSeconds (States.Timeout) or HeartbeatSeconds
 * (States.HeartbeatTimeout). It extends the package's own timeout class so that its Catch
 * matching applies "States.TaskFailed ... matches any known error name except for
 * States.Timeout"; a heartbeat timeout is a timeout too (the harsher reading of the guide).
 */
export class TaskTimeout extends PackageTimeoutError {
  constructor(errorName: "States.Timeout" | "States.HeartbeatTimeout", cause: string) {
    super();
    this.name = errorName;
    this.message = cause;
  }
}

/** What a Task attempt can fail with. */
export type AttemptFailure = TaskFailure | TaskTimeout;

export const isAttemptFailure = (value: unknown): value is AttemptFailure => value instanceof TaskFailure || value instanceof TaskTimeout;

/** StartExecution with an input over the payload quota (a request constraint, ValidationException). */
export class ExecutionInputTooLargeError extends Error {
  constructor(limitBytes: number) {
    super(`1 validation error detected: Value at 'input' failed to satisfy constraint: Member must have length less than or equal to ${limitBytes}`);
    this.name = "ExecutionInputTooLargeError";
  }
}

export class StateMachineNotFoundError extends Error {
  constructor(reference: string) {
    super(`State Machine Does Not Exist: '${reference}'`);
    this.name = "StateMachineNotFoundError";
  }
}

export class StateMachineAlreadyExistsError extends Error {
  constructor(name: string) {
    super(`State Machine Already Exists: '${name}'`);
    this.name = "StateMachineAlreadyExistsError";
  }
}

export class ExecutionAlreadyExistsError extends Error {
  readonly executionArn: string;

  constructor(executionArn: string) {
    super(`Execution Already Exists: '${executionArn}'`);
    this.name = "ExecutionAlreadyExistsError";
    this.executionArn = executionArn;
  }
}

export class ExecutionNotFoundError extends Error {
  constructor(executionArn: string) {
    super(`Execution Does Not Exist: '${executionArn}'`);
    this.name = "ExecutionNotFoundError";
  }
}
