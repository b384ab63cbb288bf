import type { AccountContext } from "../../account.ts";

/** One PutEventsRequestEntry as decoded from the JSON body. */
export interface PutEventsEntry {
  readonly Source?: string | undefined;
  readonly DetailType?: string | undefined;
  readonly Detail?: string | undefined;
  readonly EventBusName?: string | undefined;
  readonly Resources?: readonly string[] | undefined;
  readonly Time?: number | undefined;
}

const utf8Bytes = (text: string | undefined): number => (text === undefined ? 0 : Buffer.byteLength(text, "utf8"));

/** "Calculating PutEvents event entry size": Time 14 bytes, then the UTF-8 bytes of Source, DetailType, Detail and each resource. */
export function putEventsEntrySize(entry: PutEventsEntry): number {
  return (entry.Time === undefined ? 0 : 14) + utf8Bytes(entry.Source) + utf8Bytes(entry.DetailType) + utf8Bytes(entry.Detail) + (entry.Resources ?? []).reduce((sum, resource) => sum + utf8Bytes(resource), 0);
}

export interface EntryRefusal {
  readonly code: "InvalidArgument" | "MalformedDetail" | "NotAuthorizedForSourceException";
  readonly message: string;
}

const isJsonObject = (text: string): boolean => {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
};

/** The account has one bus, its default one, named "default" or by its ARN. */
const isDefaultBus = (name: string | undefined, account: AccountContext): boolean =>
  name === undefined || name === "default" || name === `arn:aws:events:${account.region}:${account.accountId}:event-bus/default`;

/**
 * Why EventBridge fails one entry (PutEventsResultEntry's ErrorCode), or undefined when it takes
 * it. Source, DetailType and Detail are required; Detail must be a JSON object; `aws.` sources
 * belong to AWS services.
 */
export function refuseEntry(entry: PutEventsEntry, account: AccountContext): EntryRefusal | undefined {
  const missing = (["Source", "DetailType", "Detail"] as const).filter((field) => entry[field] === undefined || entry[field] === "");
  if (missing.length > 0) return { code: "InvalidArgument", message: `Parameter(s) ${missing.join(", ")} must be specified.` };
  if ((entry.Source ?? "").length > 256) return { code: "InvalidArgument", message: "Parameter Source is not valid. Reason: longer than 256 characters." };
  if ((entry.DetailType ?? "").length > 128) return { code: "InvalidArgument", message: "Parameter DetailType is not valid. Reason: longer than 128 characters." };
  if (!isJsonObject(entry.Detail ?? "")) return { code: "MalformedDetail", message: "Detail is malformed." };
  if ((entry.Source ?? "").startsWith("aws.")) return { code: "NotAuthorizedForSourceException", message: "Not authorized for the source." };
  if (!isDefaultBus(entry.EventBusName, account)) return { code: "InvalidArgument", message: `Event bus ${entry.EventBusName ?? ""} does not exist.` };
  return undefined;
}
