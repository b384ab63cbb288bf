import "./auto-scaling.ts";
import "./cloudwatch.ts";
import "./dynamo.ts";
import "./ec2.ts";
import "./elbv2.ts";
import "./eventbridge.ts";
import "./sfn.ts";
import "./ssm.ts";
import { lazyClients, type AwsClientConfig, type EbbClients } from "./registry.ts";

/**
 * Every client, for the processes that play the whole control plane (the simulation, the CLI,
 * tests). A Lambda handler never imports this: it imports only the clients its code uses.
 */
export type ServiceClients = Omit<EbbClients, "dynamo">;

export function createServiceClients(config: AwsClientConfig): ServiceClients {
  const clients = lazyClients({ service: config, dynamo: config });
  return {
    autoScaling: clients.autoScaling,
    elbv2: clients.elbv2,
    cloudWatch: clients.cloudWatch,
    ec2: clients.ec2,
    ssm: clients.ssm,
    sfn: clients.sfn,
    eventBridge: clients.eventBridge,
  };
}
