import { createServiceClients, type ServiceClients } from "../core/clients/every-client.ts";
import type { RetryStrategyV2 } from "@smithy/types";
import { InProcessHttpHandler, type InProcessHandlerOptions } from "../emulator/protocol/request-handler.ts";
import { routerFor } from "../emulator/protocol/routers.ts";
import type { World } from "./world.ts";

export interface InProcessClientOptions extends InProcessHandlerOptions {
  /** SDK attempts per call, retries included (the SDK's default is 3). */
  maxAttempts?: number;
  retryStrategy?: RetryStrategyV2;
}

/** What an SDK v3 client needs to talk to the world in this process; pass it to any client's constructor. */
export interface InProcessClientConfig {
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  requestHandler: InProcessHttpHandler;
  maxAttempts?: number;
  retryStrategy?: RetryStrategyV2;
}

/** Credentials are signed with but never checked: the emulator accepts any signature. */
const LOCAL_CREDENTIALS = { accessKeyId: "AKIAEBBLOCALEMULATOR", secretAccessKey: "ebb-local-emulator-secret" };

/** Clients take the scenario's aws.apiLatencyMs per call unless the options say otherwise. */
export function inProcessClientConfig(world: World, options: InProcessClientOptions = {}): InProcessClientConfig {
  const { maxAttempts, retryStrategy, ...handlerOptions } = options;
  return {
    region: world.config.region,
    credentials: LOCAL_CREDENTIALS,
    requestHandler: new InProcessHttpHandler(routerFor(world), { apiLatencyMs: world.config.aws.apiLatencyMs, ...handlerOptions }),
    ...(maxAttempts === undefined ? {} : { maxAttempts }),
    ...(retryStrategy === undefined ? {} : { retryStrategy }),
  };
}

export type AwsClients = ServiceClients;

/** Real SDK v3 clients wired to the world. */
export function createAwsClients(world: World, options: InProcessClientOptions = {}): AwsClients {
  return createServiceClients(inProcessClientConfig(world, options));
}
