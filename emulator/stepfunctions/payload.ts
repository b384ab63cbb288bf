import { TaskFailure } from "./errors.ts";
import type { JsonValue } from "./types.ts";

/**
 * "Maximum input or output size for a task, state, or execution: 262,144 bytes of data as a UTF-8
 * encoded string. This quota affects tasks (activity, Lambda function, or integrated service),
 * state or execution output, and input data when scheduling a task, entering a state, or starting
 * an execution." (Step Functions developer guide, "Step Functions service quotas",
 * https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html)
 */
export const PAYLOAD_LIMIT_BYTES = 262_144;

export const payloadBytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value ?? null));

export const exceedsPayloadLimit = (value: unknown): boolean => payloadBytes(value) > PAYLOAD_LIMIT_BYTES;

/** The terminal error AWS raises for a state's input or output over the quota. */
export function dataLimitExceeded(stateName: string, what: "returned a result" | "has an input"): TaskFailure {
  return new TaskFailure("States.DataLimitExceeded", `The state/task '${stateName}' ${what} with a size exceeding the maximum number of bytes service limit.`);
}

/** A value as it crosses the wire: JSON only (undefined becomes null, class instances plain objects). */
export const wireJson = (value: unknown): JsonValue => JSON.parse(JSON.stringify(value ?? null)) as JsonValue;
