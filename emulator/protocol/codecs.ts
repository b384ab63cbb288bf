import { AwsApiError } from "./errors.ts";
import type { ServiceDescriptor } from "./catalog.ts";
import { decodeQueryParams } from "./query-params.ts";
import type { DecodedCall, ProtocolRequest, ProtocolResponse, WireProtocol } from "./types.ts";
import { buildXml, toXmlNode } from "./xml.ts";

/** Reads one protocol's requests and writes its responses and errors. */
export interface WireCodec {
  readonly protocol: WireProtocol;
  decode(request: ProtocolRequest): DecodedCall;
  success(action: string, result: Record<string, unknown>, requestId: string): ProtocolResponse;
  failure(error: AwsApiError, requestId: string): ProtocolResponse;
}

const utf8 = new TextDecoder();

const requestIdHeader = (requestId: string): Record<string, string> => ({ "x-amzn-RequestId": requestId });

function decodeForm(service: ServiceDescriptor, request: ProtocolRequest): DecodedCall {
  const form = new URLSearchParams(utf8.decode(request.body));
  const fields: [string, string][] = [...request.query, ...form];
  const params = decodeQueryParams(fields.filter(([name]) => name !== "Action" && name !== "Version"));
  const action = fields.find(([name]) => name === "Action")?.[1];
  if (action === undefined || action === "") throw new AwsApiError("MissingAction", "The request must contain the parameter Action");
  const version = fields.find(([name]) => name === "Version")?.[1];
  // Same signing name, other API (e.g. Classic ELB's 2012-06-01): refuse rather than misread it.
  if (version !== undefined && version !== service.queryVersion) {
    throw new AwsApiError("NoSuchVersion", `The requested version (${version}) of service ${service.signingName} does not exist`);
  }
  return { action, params };
}

function xmlResponse(statusCode: number, body: string, requestId: string): ProtocolResponse {
  return { statusCode, headers: { "Content-Type": "text/xml", ...requestIdHeader(requestId) }, body };
}

/** awsQuery: Auto Scaling, ELBv2, and CloudWatch as older clients send it. */
export function queryCodec(service: ServiceDescriptor): WireCodec {
  return {
    protocol: "query",
    decode: (request) => decodeForm(service, request),
    success(action, result, requestId) {
      const body = buildXml(
        `${action}Response`,
        {
          [`${action}Result`]: toXmlNode(result, "member"),
          ResponseMetadata: { RequestId: requestId },
        },
        service.xmlNamespace,
      );
      return xmlResponse(200, body, requestId);
    },
    failure(error, requestId) {
      const body = buildXml(
        "ErrorResponse",
        { Error: { Type: error.fault, Code: error.code, Message: error.message }, RequestId: requestId },
        service.xmlNamespace,
      );
      return xmlResponse(error.statusCode, body, requestId);
    },
  };
}

/** EC2 query: form requests, `<item>` lists, requestId in the body. */
export function ec2Codec(service: ServiceDescriptor): WireCodec {
  return {
    protocol: "ec2",
    decode: (request) => decodeForm(service, request),
    success(action, result, requestId) {
      const content: Record<string, ReturnType<typeof toXmlNode>> = { requestId };
      for (const [key, value] of Object.entries(result)) content[key] = toXmlNode(value, "item");
      return xmlResponse(200, buildXml(`${action}Response`, content, service.xmlNamespace), requestId);
    },
    failure(error, requestId) {
      const body = buildXml("Response", {
        Errors: { Error: { Code: error.code, Message: error.message } },
        RequestID: requestId,
      });
      return xmlResponse(error.statusCode, body, requestId);
    },
  };
}

/** JSON protocols write timestamps as epoch seconds. */
function toJson(result: Record<string, unknown>): string {
  return JSON.stringify(result, function (this: Record<string, unknown>, key: string, value: unknown) {
    const raw = this[key];
    return raw instanceof Date ? raw.getTime() / 1000 : value;
  });
}

/** AWS JSON 1.0 / 1.1 (`x-amz-target: Prefix.Action`), query-compatible errors where the service has them. */
export function jsonCodec(service: ServiceDescriptor): WireCodec {
  const version = service.jsonVersion ?? "1.0";
  const contentType = `application/x-amz-json-${version}`;
  return {
    protocol: version === "1.0" ? "json1.0" : "json1.1",
    decode(request) {
      const target = request.headers["x-amz-target"] ?? "";
      const action = target.slice(target.indexOf(".") + 1);
      const text = utf8.decode(request.body).trim();
      let params: unknown;
      try {
        params = text === "" ? {} : JSON.parse(text);
      } catch {
        throw new AwsApiError("SerializationException", "The request body is not valid JSON");
      }
      if (typeof params !== "object" || params === null || Array.isArray(params)) {
        throw new AwsApiError("SerializationException", "The request body must be a JSON object");
      }
      return { action, params: params as Record<string, unknown> };
    },
    success(_action, result, requestId) {
      return { statusCode: 200, headers: { "Content-Type": contentType, ...requestIdHeader(requestId) }, body: toJson(result) };
    },
    failure(error, requestId) {
      const headers: Record<string, string> = { "Content-Type": contentType, ...requestIdHeader(requestId) };
      let shape = error.code;
      if (service.queryCompatible) {
        headers["x-amzn-query-error"] = `${error.code};${error.fault}`;
        shape = service.jsonErrorShapes?.[error.code] ?? error.code;
      }
      const type = service.jsonNamespace === undefined ? shape : `${service.jsonNamespace}#${shape}`;
      return { statusCode: error.statusCode, headers, body: JSON.stringify({ __type: type, message: error.message }) };
    },
  };
}
