/** An HTTP request as the router sees it, whichever way it came in (SDK handler or HTTP server). */
export interface ProtocolRequest {
  readonly method: string;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  /** The URL's query string parameters (AWS query APIs may also be sent as GET). */
  readonly query: URLSearchParams;
  readonly hostname: string;
  readonly body: Uint8Array;
}

export interface ProtocolResponse {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** The wire formats the emulator speaks. */
export type WireProtocol = "query" | "ec2" | "json1.0" | "json1.1";

/** A decoded call: which service, which action, and its parameters. */
export interface DecodedCall {
  readonly action: string;
  readonly params: Record<string, unknown>;
}
