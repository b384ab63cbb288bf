import { ExecutionError, StateMachine, type StateMachineDefinition } from "aws-local-stepfunctions";

/**
 * aws-local-stepfunctions exempts a timeout from a `States.TaskFailed` catcher only when the error
 * is its own StatesTimeoutError (an `instanceof` check), a class it does not export. One
 * throwaway run whose Task times out after 1 ms yields an instance; its class is the base the
 * runner's virtual-time timeouts extend, so the package applies the rule to them too.
 */
async function packageTimeoutClass(): Promise<new () => Error> {
  const definition = { StartAt: "Probe", States: { Probe: { Type: "Task", Resource: "arn:aws:lambda:us-east-1:123456789012:function:probe", TimeoutSeconds: 0.001, End: true } } };
  const machine = new StateMachine(definition as unknown as StateMachineDefinition, { validationOptions: { noValidate: true } });
  const run = machine.run({}, { overrides: { taskResourceLocalHandlers: { Probe: () => new Promise<never>(() => undefined) } } });
  try {
    await run.result;
  } catch (thrown) {
    const timeout = thrown instanceof ExecutionError ? thrown.cause : undefined;
    if (timeout instanceof Error && timeout.name === "States.Timeout") return timeout.constructor as new () => Error;
  }
  throw new Error("aws-local-stepfunctions did not time out its probe Task: its timeout error class cannot be found");
}

export const PackageTimeoutError = await packageTimeoutClass();
