export { UnsupportedDefinitionError, TaskFailure, StateMachineNotFoundError, StateMachineAlreadyExistsError, ExecutionAlreadyExistsError, ExecutionNotFoundError } from "./errors.ts";
export type { Execution } from "./execution.ts";
export { HISTORY_EVENT_LIMIT } from "./history.ts";
export { functionKeys, stateMachineKeys } from "./naming.ts";
export { prepareDefinition } from "./prepare.ts";
export { LocalStepFunctions, runStateMachine } from "./runner.ts";
export type { LocalStateMachine, LocalStepFunctionsOptions, RegisteredStateMachine, RunStateMachineOptions, StartOptions } from "./runner.ts";
export { validateDefinition, unsupportedFeatures, aslValidatorErrors } from "./validate.ts";
export type * from "./types.ts";
