import { serviceDescriptors, type ServiceDescriptor } from "./catalog.ts";
import { ec2Codec, jsonCodec, queryCodec, type WireCodec } from "./codecs.ts";
import type { ProtocolRequest } from "./types.ts";

const utf8 = new TextDecoder();

const bySigningName = (name: string | undefined): ServiceDescriptor | undefined =>
  name === undefined ? undefined : serviceDescriptors.find((service) => service.signingName === name);

/** `Credential=AKID/20260101/us-east-1/autoscaling/aws4_request` → "autoscaling". */
function credentialScopeService(authorization: string | undefined): string | undefined {
  return authorization?.match(/Credential=[^/,\s]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/)?.[1];
}

/** `autoscaling.us-east-1.amazonaws.com` → "autoscaling". */
function hostService(hostname: string): string | undefined {
  return hostname.match(/^([a-z0-9-]+)\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/)?.[1];
}

function formVersion(request: ProtocolRequest): string | undefined {
  const type = request.headers["content-type"] ?? "";
  const fromUrl = request.query.get("Version");
  if (fromUrl !== null) return fromUrl;
  if (!type.startsWith("application/x-www-form-urlencoded")) return undefined;
  return new URLSearchParams(utf8.decode(request.body)).get("Version") ?? undefined;
}

/** The service a request is for and the codec that speaks its protocol, or undefined if unknown. */
export function detectService(request: ProtocolRequest): { service: ServiceDescriptor; codec: WireCodec } | undefined {
  const target = request.headers["x-amz-target"];
  if (target !== undefined) {
    const prefix = target.slice(0, target.indexOf("."));
    const service = serviceDescriptors.find((candidate) => candidate.jsonTarget === prefix);
    return service === undefined ? undefined : { service, codec: jsonCodec(service) };
  }
  const version = formVersion(request);
  const service =
    bySigningName(credentialScopeService(request.headers["authorization"])) ??
    serviceDescriptors.find((candidate) => version !== undefined && candidate.queryVersion === version) ??
    bySigningName(hostService(request.hostname));
  if (service === undefined || service.queryVersion === undefined) return undefined;
  return { service, codec: service.name === "ec2" ? ec2Codec(service) : queryCodec(service) };
}
