import { gunzipSync } from "node:zlib";
import { AwsApiError } from "./errors.ts";

const utf8 = new TextEncoder();

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === "object" && value !== null && Symbol.asyncIterator in value;
}

function chunkBytes(chunk: unknown): Uint8Array {
  if (typeof chunk === "string") return utf8.encode(chunk);
  if (chunk instanceof Uint8Array) return chunk;
  if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk);
  throw new TypeError(`unsupported request body chunk: ${typeof chunk}`);
}

/** A request body as the SDK hands it over: nothing, a string, bytes, or a stream of either. */
export async function readBody(body: unknown): Promise<Uint8Array> {
  if (body === undefined || body === null) return new Uint8Array();
  if (typeof body === "string" || body instanceof Uint8Array || body instanceof ArrayBuffer) return chunkBytes(body);
  if (isAsyncIterable(body)) {
    const chunks: Uint8Array[] = [];
    for await (const chunk of body) chunks.push(chunkBytes(chunk));
    return Buffer.concat(chunks);
  }
  throw new TypeError(`unsupported request body: ${Object.prototype.toString.call(body)}`);
}

/** Undoes `Content-Encoding: gzip` (the SDK compresses large PutMetricData bodies). */
export function decodeContentEncoding(contentEncoding: string | undefined, body: Uint8Array): Uint8Array {
  const encodings = (contentEncoding ?? "").split(",").map((encoding) => encoding.trim().toLowerCase());
  if (!encodings.includes("gzip")) return body;
  try {
    return gunzipSync(body);
  } catch {
    throw new AwsApiError("InvalidRequest", "The request body is not valid gzip data");
  }
}
