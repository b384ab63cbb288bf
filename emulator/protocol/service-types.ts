import type { EmulatedAccount } from "../account.ts";

/**
 * One AWS API action as the emulator implements it. The protocol layer decodes the request
 * into `params` (query `.member.N` lists become arrays, nested names become objects, values stay
 * strings; JSON bodies arrive as parsed), the handler validates them with zod (coercing strings),
 * acts on the world and returns a plain object: arrays become lists, Dates become timestamps in
 * the protocol's format. Errors are thrown as AwsApiError.
 */
export type Params = Record<string, unknown>;

export interface ActionContext {
  readonly world: EmulatedAccount;
  readonly requestId: string;
}

export type ActionHandler = (params: Params, context: ActionContext) => Record<string, unknown> | undefined;

export type ServiceName = "autoscaling" | "elasticloadbalancing" | "monitoring" | "ec2" | "ssm" | "states" | "events";

export interface ServiceModel {
  readonly name: ServiceName;
  readonly actions: Readonly<Record<string, ActionHandler>>;
}
