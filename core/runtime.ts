import { Logger } from "@aws-lambda-powertools/logger";
import type { LogLevel } from "@aws-lambda-powertools/logger/types";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { lazyClients, type AwsClientConfig, type EbbClients } from "./clients/registry.ts";
import { parseStageConfig, stageConfigFromEnv, type StageConfig } from "./stage.ts";

/** The only source of time for core/: the wall clock in Lambda, the virtual clock in the simulation. */
export interface Clock {
  now(): Date;
}

export type { AwsClientConfig, EbbClients } from "./clients/registry.ts";
export type { ServiceClients } from "./clients/every-client.ts";

export interface Runtime {
  readonly clients: EbbClients;
  readonly clock: Clock;
  readonly stage: StageConfig;
  readonly logger: Logger;
  /** Buffered, flushed as EMF by the handler wrapper (namespace Ebb). */
  readonly metrics: Metrics;
}

export interface RuntimeOptions {
  /** Passed to every SDK client constructor. */
  clientConfig?: AwsClientConfig;
  /** DynamoDB's own config (e.g. the dynalite endpoint); defaults to clientConfig. */
  dynamoDbClientConfig?: AwsClientConfig;
  clock?: Clock;
  /** A StageConfig or its input (validated with stageConfigSchema). */
  stage: unknown;
  logLevel?: LogLevel;
}

const systemClock: Clock = { now: () => new Date() };

let configured: Runtime | undefined;

export function createRuntime(options: RuntimeOptions): Runtime {
  const config = options.clientConfig ?? {};
  const dynamoConfig = options.dynamoDbClientConfig ?? config;
  const logger = new Logger({ serviceName: "ebb", ...(options.logLevel === undefined ? {} : { logLevel: options.logLevel }) });
  return {
    clients: lazyClients({ service: config, dynamo: dynamoConfig }),
    clock: options.clock ?? systemClock,
    stage: parseStageConfig(options.stage),
    logger,
    // Its "no metrics to publish" warning fires on every invocation that measured nothing: noise, not news.
    metrics: new Metrics({ namespace: "Ebb", serviceName: "ebb", logger: logger.createChild({ logLevel: "ERROR" }) }),
  };
}

/** Wires the handlers to given clients, clock and stage (the local simulation and tests). */
export function configureRuntime(options: RuntimeOptions): Runtime {
  configured = createRuntime(options);
  return configured;
}

/** Forgets the configured runtime (tests). */
export function resetRuntime(): void {
  configured = undefined;
}

/** The configured runtime, or (in Lambda) one built from the environment on first use. */
export function runtime(): Runtime {
  configured ??= createRuntime({ stage: stageConfigFromEnv() });
  return configured;
}
