import { Readable } from "node:stream";
import { HttpResponse, type HttpHandler, type HttpRequest } from "@smithy/protocol-http";
import type { ServiceName } from "./service-types.ts";
import { readBody } from "./body.ts";
import type { EmulatorRouter } from "./router.ts";

export interface InProcessHandlerOptions {
  /** Called for every request once its service and action are known (e.g. to advance virtual time between waiter polls). */
  onRequest?(service: ServiceName, action: string): void;
  /**
   * Virtual milliseconds each request takes before AWS serves it (the network and the service),
   * as the world's physics run meanwhile: a burst of calls is spread over time, so token buckets
   * refill between them as they do on AWS. 0 serves every call at the same virtual instant.
   */
  apiLatencyMs?: number;
}

function queryString(query: HttpRequest["query"]): URLSearchParams {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value === null || value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) search.append(name, item);
  }
  return search;
}

function lowerCaseKeys(headers: Readonly<Record<string, string>>): Record<string, string> {
  const lower: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) lower[name.toLowerCase()] = value;
  return lower;
}

/**
 * An SDK v3 request handler that answers from the emulator in this process: no sockets. The SDK
 * still serializes, signs, retries and parses exactly as it would against AWS. Calls are the
 * only thing here that may move virtual time (by `apiLatencyMs`), one whole call at a time, so
 * the same sequence of calls gives the same world.
 */
export class InProcessHttpHandler implements HttpHandler<Record<string, never>> {
  readonly #router: EmulatorRouter;
  readonly #options: InProcessHandlerOptions;

  constructor(router: EmulatorRouter, options: InProcessHandlerOptions = {}) {
    this.#router = router;
    this.#options = options;
  }

  async handle(request: HttpRequest): Promise<{ response: HttpResponse }> {
    const { onRequest, apiLatencyMs = 0 } = this.#options;
    // Every attempt pays it, retries included, so an SDK's backoff also spends virtual time.
    if (apiLatencyMs > 0) this.#router.world.advance(apiLatencyMs / 1000);
    const routed = await this.#router.route(
      {
        method: request.method,
        headers: lowerCaseKeys(request.headers),
        query: queryString(request.query),
        hostname: request.hostname,
        body: await readBody(request.body),
      },
      onRequest === undefined ? {} : { beforeDispatch: onRequest },
    );
    // The SDK reads header names in lower case, as Node's HTTP client delivers them.
    const response = new HttpResponse({
      statusCode: routed.statusCode,
      headers: lowerCaseKeys(routed.headers),
      body: Readable.from([Buffer.from(routed.body, "utf8")]),
    });
    return { response };
  }

  updateHttpClientConfig(): void {
    // Nothing to configure: there is no connection.
  }

  httpHandlerConfigs(): Record<string, never> {
    return {};
  }
}
