import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { EmulatedAccount } from "../account.ts";
import { readBody } from "./body.ts";
import { routerFor } from "./routers.ts";
import { worldState } from "./state.ts";
import type { ProtocolResponse } from "./types.ts";

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
function adminResponse(world: EmulatedAccount, method: string, url: URL): ProtocolResponse {
  if (method === "POST" && url.pathname === "/_ebb/advance") {
    const seconds = Number(url.searchParams.get("seconds"));
    if (!Number.isFinite(seconds) || seconds < 0) return json(400, { error: "seconds must be a number ≥ 0" });
    world.advance(seconds);
    return json(200, { virtualTime: world.clock.now().toISOString(), elapsedSeconds: world.elapsedSeconds });
  }
  if (method === "GET" && url.pathname === "/_ebb/state") return json(200, worldState(world));
  return json(404, { error: `no admin endpoint ${method} ${url.pathname}` });
}

async function respond(world: EmulatedAccount, request: IncomingMessage): Promise<ProtocolResponse> {
  const url = new URL(request.url ?? "/", "http://localhost");
  const method = request.method ?? "GET";
  if (url.pathname.startsWith("/_ebb/")) return adminResponse(world, method, url);
  const headers = headerMap(request);
  return routerFor(world).route({
    method,
    headers,
    query: url.searchParams,
    hostname: (headers["host"] ?? "").replace(/:\d+$/, ""),
    body: await readBody(request),
  });
}

/** Serves the world over HTTP on 127.0.0.1, so any AWS client can use it with --endpoint-url. */
export async function startEmulatorServer(world: EmulatedAccount, options: { port?: number } = {}): Promise<EmulatorServer> {
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    respond(world, request)
      .catch((error: unknown) => json(500, { error: error instanceof Error ? error.message : String(error) }))
      .then(({ statusCode, headers, body }) => {
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
