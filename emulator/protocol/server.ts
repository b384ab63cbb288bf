import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { EmulatedAccount } from "../account.ts";
import { readBody } from "./body.ts";
import type { RequestLog } from "./request-log.ts";
import { routerFor } from "./routers.ts";
import { worldState } from "./state.ts";
import type { ProtocolResponse } from "./types.ts";

export interface EmulatorServerOptions {
  port?: number;
  /**
   * Where DynamoDB (dynalite) listens: requests for DynamoDB (`x-amz-target: DynamoDB_20120810.*`)
   * are passed through to it, so one endpoint serves every service the CLI reads.
   */
  dynamoDbEndpoint?: string;
  /** Extra read-only admin documents, by path under /_ebb/ (e.g. what the host installed). */
  adminDocuments?: Readonly<Record<string, () => unknown>>;
  /** One entry per AWS API request (not the /_ebb/ admin endpoints). */
  requestLog?: RequestLog;
}

/** What a request turned out to be, filled in while it is answered. */
interface Called {
  service: string;
  action: string;
}

/** The JSON protocol's target prefix of DynamoDB (API version 2012-08-10). */
const DYNAMODB_TARGET_PREFIX = "DynamoDB_20120810.";

export interface EmulatorServer {
  readonly url: string;
  readonly server: Server;
  close(): Promise<void>;
}

const json = (statusCode: number, value: unknown): ProtocolResponse => ({
  statusCode,
  headers: { "Content-Type": "application/json" },
  body: `${JSON.stringify(value)}\n`,
});

function headerMap(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return headers;
}

/** The emulator's own endpoints under /_ebb/: move virtual time, look at the world. */
function adminResponse(world: EmulatedAccount, method: string, url: URL, documents: EmulatorServerOptions["adminDocuments"]): ProtocolResponse {
  if (method === "POST" && url.pathname === "/_ebb/advance") {
    const seconds = Number(url.searchParams.get("seconds"));
    if (!Number.isFinite(seconds) || seconds < 0) return json(400, { error: "seconds must be a number ≥ 0" });
    world.advance(seconds);
    return json(200, { virtualTime: world.clock.now().toISOString(), elapsedSeconds: world.elapsedSeconds });
  }
  if (method === "GET" && url.pathname === "/_ebb/state") return json(200, worldState(world));
  const document = documents?.[url.pathname.slice("/_ebb/".length)];
  if (method === "GET" && document !== undefined) return json(200, document());
  return json(404, { error: `no admin endpoint ${method} ${url.pathname}` });
}

/** Passes a DynamoDB request through unchanged: dynalite checks and answers it as DynamoDB would. */
async function forward(endpoint: string, method: string, headers: Record<string, string>, body: Uint8Array): Promise<ProtocolResponse> {
  const { host: _host, "content-length": _length, connection: _connection, ...passed } = headers;
  const response = await fetch(endpoint, { method, headers: passed, body });
  const responseHeaders: Record<string, string> = {};
  for (const name of ["content-type", "x-amzn-requestid", "x-amz-crc32"]) {
    const value = response.headers.get(name);
    if (value !== null) responseHeaders[name] = value;
  }
  return { statusCode: response.status, headers: responseHeaders, body: await response.text() };
}

async function respond(world: EmulatedAccount, request: IncomingMessage, options: EmulatorServerOptions, called: Called): Promise<ProtocolResponse> {
  const url = new URL(request.url ?? "/", "http://localhost");
  const method = request.method ?? "GET";
  if (url.pathname.startsWith("/_ebb/")) return adminResponse(world, method, url, options.adminDocuments);
  const headers = headerMap(request);
  const target = headers["x-amz-target"] ?? "";
  if (options.dynamoDbEndpoint !== undefined && target.startsWith(DYNAMODB_TARGET_PREFIX)) {
    called.service = "dynamodb";
    called.action = target.slice(DYNAMODB_TARGET_PREFIX.length);
    return forward(options.dynamoDbEndpoint, method, headers, await readBody(request));
  }
  return routerFor(world).route({
    method,
    headers,
    query: url.searchParams,
    hostname: (headers["host"] ?? "").replace(/:\d+$/, ""),
    body: await readBody(request),
  }, {
    beforeDispatch: (service, action) => {
      called.service = service;
      called.action = action;
    },
  });
}

/** Serves the world over HTTP on 127.0.0.1, so any AWS client can use it with --endpoint-url. */
export async function startEmulatorServer(world: EmulatedAccount, options: EmulatorServerOptions = {}): Promise<EmulatorServer> {
  const log = options.requestLog;
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const startedMs = log?.realNowMs() ?? 0;
    // Unknown until the request is decoded; a request that never gets that far is logged as such.
    const called: Called = { service: "unknown", action: "unknown" };
    const admin = (request.url ?? "").startsWith("/_ebb/");
    respond(world, request, options, called)
      .catch((error: unknown) => json(500, { error: error instanceof Error ? error.message : String(error) }))
      .then(({ statusCode, headers, body }) => {
        if (log !== undefined && !admin) {
          const durationMs = Math.round((log.realNowMs() - startedMs) * 100) / 100;
          log.write({ ...called, statusCode, durationMs, virtualTime: world.clock.now().toISOString() });
        }
        response.writeHead(statusCode, { ...headers, "Content-Length": Buffer.byteLength(body) });
        response.end(body);
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
