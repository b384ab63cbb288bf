import { functionArn } from "../../infra/arns.ts";
import type { FunctionInvoker } from "../../emulator/autoscaling/custom-termination.ts";
import { LAMBDA_DEFAULT_SETTINGS, lambdaContext, type LambdaFunctionSettings, type TaskHandlers } from "../../emulator/stepfunctions/index.ts";
import type { World } from "../world.ts";

/** A version or alias after the function name: the local functions have one version only. */
const unqualified = (arn: string): string => arn.split(":").slice(0, 7).join(":");

/**
 * Lambda in the emulated account, for the services that invoke functions by ARN (Auto Scaling's
 * termination policy): each of Ebb's handlers under the ARN infra/ gives it, run with its
 * context on the virtual clock, its duration the virtual time it took. The bus tracks every invocation so that a step of the
 * simulation waits for it as it waits for a rule's target.
 */
export function localLambda(world: World, handlers: TaskHandlers, functions: Readonly<Record<string, LambdaFunctionSettings>>): FunctionInvoker {
  const location = { region: world.config.region, account: world.config.accountId };
  const byArn = new Map(Object.keys(handlers).map((name) => [functionArn(location, name), name]));
  return {
    invoke(arn, payload) {
      const name = byArn.get(unqualified(arn));
      const handler = name === undefined ? undefined : handlers[name];
      const invocation =
        name === undefined || handler === undefined
          ? Promise.reject(new Error(`Function not found: ${arn}`))
          : Promise.resolve().then(async () => {
              // Measured from when it runs: the physics may have stepped on before this microtask.
              const startMs = world.clock.nowMs;
              const result = await handler(payload, lambdaContext(location, world.clock, name, world.nextRequestId(), functions[name] ?? LAMBDA_DEFAULT_SETTINGS));
              return { payload: result, durationMs: world.clock.nowMs - startMs };
            });
      world.events.track(invocation);
      return invocation;
    },
  };
}
