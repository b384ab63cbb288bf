import type { AwsApiError } from "./errors.ts";

export interface PageRequest {
  maxResults: number | undefined;
  nextToken: string | undefined;
  /** Where new items appear: "end" (oldest first) or "start" (newest first). Pages stay stable either way. */
  growsAt: "end" | "start";
  invalidToken: (message: string) => AwsApiError;
}

interface Cursor {
  offset: number;
  /** How many items the list had when the first page was read. */
  size: number;
}

/** Opaque NextToken pagination over a list that only ever gains items at one end. */
export function paginate<T>(items: readonly T[], request: PageRequest): { page: T[]; nextToken: string | undefined } {
  const cursor = request.nextToken === undefined ? { offset: 0, size: items.length } : decodeCursor(request.nextToken, request.invalidToken);
  const stable = request.growsAt === "start" ? items.slice(Math.max(0, items.length - cursor.size)) : items;
  const end = request.maxResults === undefined ? stable.length : Math.min(stable.length, cursor.offset + request.maxResults);
  const nextToken = end < stable.length ? encodeCursor({ offset: end, size: cursor.size }) : undefined;
  return { page: stable.slice(cursor.offset, end), nextToken };
}

const encodeCursor = (cursor: Cursor): string => Buffer.from(JSON.stringify(cursor), "utf8").toString("base64url");

const isCount = (value: unknown): value is number => typeof value === "number" && Number.isInteger(value) && value >= 0;

function decodeCursor(token: string, invalidToken: (message: string) => AwsApiError): Cursor {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    throw invalidToken(`The token '${token}' is invalid`);
  }
  if (typeof decoded === "object" && decoded !== null && "offset" in decoded && "size" in decoded) {
    const { offset, size } = decoded;
    if (isCount(offset) && isCount(size)) return { offset, size };
  }
  throw invalidToken(`The token '${token}' is invalid`);
}
