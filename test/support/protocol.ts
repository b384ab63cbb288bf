import { scenarioConfigSchema, type ScenarioConfigInput } from "../../sim/config/schema.ts";
import { InProcessHttpHandler, type InProcessHandlerOptions } from "../../emulator/protocol/request-handler.ts";
import { EmulatorRouter, type ServiceRegistry } from "../../emulator/protocol/router.ts";
import { World } from "../../sim/world.ts";

export const newWorld = (config: ScenarioConfigInput = {}): World => new World(scenarioConfigSchema.parse(config));

type ClientOptions = InProcessHandlerOptions & { maxAttempts?: number };

/** SDK client config for a router (whose Describe token buckets the clients then share). */
export function routerClientConfig(router: EmulatorRouter, options: ClientOptions = {}) {
  const { maxAttempts, ...handlerOptions } = options;
  return {
    region: router.world.region,
    credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "secret" },
    requestHandler: new InProcessHttpHandler(router, handlerOptions),
    maxAttempts: maxAttempts ?? 1,
  };
}

/** SDK client config routed to a new router over the given (possibly test-only) services. */
export const clientConfigFor = (world: World, services: ServiceRegistry, options: ClientOptions = {}) =>
  routerClientConfig(new EmulatorRouter(world, services), options);

/** Awaits a promise that must reject and returns what it rejected with. */
export async function rejection(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error) return error as Error & Record<string, unknown>;
    throw new Error(`rejected with a non-Error: ${String(error)}`);
  }
  throw new Error("expected the call to fail, but it succeeded");
}
