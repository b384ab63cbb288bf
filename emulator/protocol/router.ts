import { ZodError } from "zod";
import { AwsApiError } from "./errors.ts";
import type { ServiceModel, ServiceName } from "./service-types.ts";
import type { EmulatedAccount } from "../account.ts";
import { decodeContentEncoding } from "./body.ts";
import { unknownService, type ServiceDescriptor } from "./catalog.ts";
import { queryCodec, type WireCodec } from "./codecs.ts";
import { detectService } from "./detect.ts";
import { DescribeThrottle } from "./throttle.ts";
import type { ProtocolRequest, ProtocolResponse } from "./types.ts";
import { describeIssues } from "../../shared/validation.ts";

/** The emulated services by name; a name without a model answers every action with InvalidAction. */
export type ServiceRegistry = Partial<Readonly<Record<ServiceName, ServiceModel>>>;

export interface RouteHooks {
  /** Called once the service and action are known, before anything else happens to the call. */
  beforeDispatch?(service: ServiceName, action: string): void;
}

const unknownServiceCodec = queryCodec(unknownService);

/** Turns any thrown value into the AWS error the caller sees. */
function asApiError(error: unknown, service: ServiceDescriptor): AwsApiError {
  if (error instanceof AwsApiError) return error;
  if (error instanceof ZodError) return new AwsApiError(service.validationCode, describeIssues(error, "request").join("; "));
  const message = error instanceof Error ? error.message : String(error);
  return new AwsApiError(service.serverError.code, message, { statusCode: service.serverError.statusCode });
}

/**
 * One way in for every AWS call, from the SDK handler and the HTTP server alike: detect the
 * service and protocol, decode, count, inject faults and throttles, dispatch to the service
 * model and encode its answer. The router never moves the virtual clock (an in-process client's
 * latency is spent before it routes the call).
 */
export class EmulatorRouter {
  readonly world: EmulatedAccount;
  readonly #services: ServiceRegistry;
  readonly #describeThrottle = new DescribeThrottle();

  constructor(world: EmulatedAccount, services: ServiceRegistry) {
    this.world = world;
    this.#services = services;
  }

  async route(request: ProtocolRequest, hooks: RouteHooks = {}): Promise<ProtocolResponse> {
    const requestId = this.world.nextRequestId();
    let body: Uint8Array;
    try {
      body = decodeContentEncoding(request.headers["content-encoding"], request.body);
    } catch (error) {
      const detected = detectService(request);
      return (detected?.codec ?? unknownServiceCodec).failure(asApiError(error, detected?.service ?? unknownService), requestId);
    }
    const decoded = { ...request, body };
    const detected = detectService(decoded);
    if (detected === undefined) {
      const refusal = new AwsApiError("UnknownService", "The emulator could not tell which AWS service this request is for");
      return unknownServiceCodec.failure(refusal, requestId);
    }
    const { service, codec } = detected;
    try {
      const { action, params } = codec.decode(decoded);
      hooks.beforeDispatch?.(service.name, action);
      return codec.success(action, await this.#dispatch(service, codec, action, params, requestId), requestId);
    } catch (error) {
      return codec.failure(asApiError(error, service), requestId);
    }
  }

  async #dispatch(
    service: ServiceDescriptor,
    codec: WireCodec,
    action: string,
    params: Record<string, unknown>,
    requestId: string,
  ): Promise<Record<string, unknown>> {
    const { world } = this;
    const nowMs = world.clock.nowMs;
    world.stats.countApiCall(service.name, action, nowMs);
    const handler = this.#services[service.name]?.actions[action];
    if (handler === undefined) throw unknownAction(codec, action);
    const fault = world.faults.apiFault(service.name, action);
    const throttled = fault === "throttle" || (service.describeBucket && !this.#describeThrottle.allows(service.name, action, nowMs));
    if (throttled) {
      world.stats.throttled += 1;
      const { code, message, statusCode } = service.throttling;
      throw new AwsApiError(code, message, { statusCode });
    }
    const failure = fault === "server-error" ? service.serverError : fault === undefined ? undefined : service.transientErrors?.[fault];
    if (failure !== undefined) throw new AwsApiError(failure.code, failure.message, { statusCode: failure.statusCode });
    return (await handler(params, { world, requestId })) ?? {};
  }
}

function unknownAction(codec: WireCodec, action: string): AwsApiError {
  if (codec.protocol === "json1.0" || codec.protocol === "json1.1") {
    return new AwsApiError("UnknownOperationException", `Unknown operation ${action}`);
  }
  return new AwsApiError("InvalidAction", `The action ${action} is not valid for this web service.`);
}

