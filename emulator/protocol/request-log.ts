import { appendFileSync, writeFileSync } from "node:fs";

/** One line of the request log: what was asked, how it ended, how long it took, at what virtual time. */
export interface RequestLogEntry {
  service: string;
  action: string;
  statusCode: number;
  durationMs: number;
  virtualTime: string;
}

/**
 * Where the server reports each request. The caller supplies the real clock: the emulator itself
 * never reads it, so a log is the only place real durations appear.
 */
export interface RequestLog {
  write(entry: RequestLogEntry): void;
  realNowMs(): number;
}

/**
 * A request log as JSON lines in a file (truncated when opened). Each line is appended
 * synchronously, so a line is whole in the file by the time the response is sent.
 */
export function requestLogFile(path: string, realNowMs: () => number): RequestLog {
  writeFileSync(path, "");
  return {
    realNowMs,
    write: (entry) => appendFileSync(path, `${JSON.stringify(entry)}\n`),
  };
}
