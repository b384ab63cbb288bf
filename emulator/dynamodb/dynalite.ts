import type { AddressInfo } from "node:net";
import dynalite from "dynalite";

export interface LocalDynamoDb {
  /** http://127.0.0.1:PORT, for a DynamoDBClient's `endpoint`. */
  readonly endpoint: string;
  stop(): Promise<void>;
}

export interface LocalDynamoDbOptions {
  /** How long (wall-clock ms) a new table stays CREATING; dynalite's own default is 500. */
  readonly createTableMs?: number;
}

/**
 * Starts dynalite (a DynamoDB implementation on LevelDB) in memory on 127.0.0.1 and a free
 * port. DynamoDB is the one service the emulator reaches over a socket even in process:
 * dynalite is an HTTP server, not a request handler.
 */
export async function startDynamoDb(options: LocalDynamoDbOptions = {}): Promise<LocalDynamoDb> {
  const ms = options.createTableMs ?? 0;
  const server = dynalite({ createTableMs: ms, deleteTableMs: ms, updateTableMs: ms });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
