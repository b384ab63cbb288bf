import { AutoScalingClient, type AutoScalingClientConfig } from "@aws-sdk/client-auto-scaling";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { EC2Client } from "@aws-sdk/client-ec2";
import { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { SFNClient } from "@aws-sdk/client-sfn";
import { SSMClient } from "@aws-sdk/client-ssm";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { Logger } from "@aws-lambda-powertools/logger";
import type { LogLevel } from "@aws-lambda-powertools/logger/types";
import { parseStageConfig, stageConfigFromEnv, type StageConfig } from "./stage.ts";

/** The only source of time for core/: the wall clock in Lambda, the virtual clock in the simulation. */
export interface Clock {
  now(): Date;
}

/** What every SDK client constructor receives (region, credentials, a request handler or endpoint...). */
export type AwsClientConfig = Pick<
  AutoScalingClientConfig,
  "region" | "credentials" | "requestHandler" | "endpoint" | "maxAttempts" | "retryStrategy" | "retryMode"
>;

export interface EbbClients {
  readonly autoScaling: AutoScalingClient;
  readonly elbv2: ElasticLoadBalancingV2Client;
  readonly cloudWatch: CloudWatchClient;
  readonly ec2: EC2Client;
  readonly ssm: SSMClient;
  /** Only to confirm that a stopped execution really stopped before settling it. */
  readonly sfn: SFNClient;
  readonly dynamo: DynamoDBDocumentClient;
}

/** The AWS service clients Ebb calls; DynamoDB apart (its own config and the document wrapper). */
export type ServiceClients = Omit<EbbClients, "dynamo">;

export function createServiceClients(config: AwsClientConfig): ServiceClients {
  return {
    autoScaling: new AutoScalingClient(config),
    elbv2: new ElasticLoadBalancingV2Client(config),
    cloudWatch: new CloudWatchClient(config),
    ec2: new EC2Client(config),
    ssm: new SSMClient(config),
    sfn: new SFNClient(config),
  };
}

export interface Runtime {
  readonly clients: EbbClients;
  readonly clock: Clock;
  readonly stage: StageConfig;
  readonly logger: Logger;
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
  return {
    clients: {
      ...createServiceClients(config),
      dynamo: DynamoDBDocumentClient.from(new DynamoDBClient(dynamoConfig), {
        marshallOptions: { removeUndefinedValues: true },
      }),
    },
    clock: options.clock ?? systemClock,
    stage: parseStageConfig(options.stage),
    logger: new Logger({ serviceName: "ebb", ...(options.logLevel === undefined ? {} : { logLevel: options.logLevel }) }),
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
