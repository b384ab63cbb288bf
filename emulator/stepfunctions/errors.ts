import { ProblemListError } from "../../core/validation.ts";

/** A definition the local runner cannot run faithfully; lists every problem at once. */
export class UnsupportedDefinitionError extends ProblemListError {
  constructor(stateMachineName: string, problems: readonly string[]) {
    super("UnsupportedDefinitionError", `state machine ${stateMachineName} cannot run locally`, problems);
  }
}

/**
 * An error as a Task reports it to Retry/Catch: `name` is the ASL error name (a Lambda function's
 * errorType), `message` is the Cause string exactly as Step Functions would store it.
 */
export class TaskFailure extends Error {
  constructor(errorName: string, cause: string) {
    super(cause);
    this.name = errorName;
  }

  /** A Lambda function error: Cause is the JSON error document Lambda returns. */
  static fromHandlerError(thrown: unknown): TaskFailure {
    const errorType = thrown instanceof Error ? thrown.name : "Error";
    const errorMessage = thrown instanceof Error ? thrown.message : String(thrown);
    return new TaskFailure(errorType, JSON.stringify({ errorMessage, errorType }));
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
