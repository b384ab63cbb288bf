import type { AutoScalingClient, AutoScalingClientConfig } from "@aws-sdk/client-auto-scaling";
import type { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import type { EC2Client } from "@aws-sdk/client-ec2";
import type { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import type { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { SFNClient } from "@aws-sdk/client-sfn";
import type { SSMClient } from "@aws-sdk/client-ssm";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { ClientNotCarried } from "../errors.ts";

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
  /** Ebb's own progress events (PutEvents on the stage's bus). */
  readonly eventBridge: EventBridgeClient;
}

export type ClientName = keyof EbbClients;

export interface ClientConfigs {
  readonly service: AwsClientConfig;
  /** DynamoDB's own config (e.g. the dynalite endpoint). */
  readonly dynamo: AwsClientConfig;
}

type Factory<Name extends ClientName> = (configs: ClientConfigs) => EbbClients[Name];

// Type-only SDK imports above: a Lambda bundle holds an SDK client only when its handler imports
// that client's module (core/clients/<service>.ts), which registers its factory here.
const factories: { [Name in ClientName]?: Factory<Name> } = {};

export function provideClient<Name extends ClientName>(name: Name, factory: Factory<Name>): void {
  (factories as Record<Name, Factory<Name>>)[name] = factory;
}

/** The clients, each built on first use from its registered factory. */
export function lazyClients(configs: ClientConfigs): EbbClients {
  const built: Partial<Record<ClientName, unknown>> = {};
  const get = <Name extends ClientName>(name: Name): EbbClients[Name] => {
    if (built[name] === undefined) {
      const factory = factories[name] as Factory<Name> | undefined;
      if (!factory) throw new ClientNotCarried(name);
      built[name] = factory(configs);
    }
    return built[name] as EbbClients[Name];
  };
  return {
    get autoScaling() { return get("autoScaling"); },
    get elbv2() { return get("elbv2"); },
    get cloudWatch() { return get("cloudWatch"); },
    get ec2() { return get("ec2"); },
    get ssm() { return get("ssm"); },
    get sfn() { return get("sfn"); },
    get dynamo() { return get("dynamo"); },
    get eventBridge() { return get("eventBridge"); },
  };
}
