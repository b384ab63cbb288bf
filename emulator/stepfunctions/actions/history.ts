import { z } from "zod";
import type { Execution } from "../execution.ts";
import type { HistoryEntry } from "../history.ts";

/**
 * GetExecutionHistory, as the Step Functions API reference describes it
 * (https://docs.aws.amazon.com/step-functions/latest/apireference/API_GetExecutionHistory.html and
 * API_HistoryEvent.html): events with `id` (from 1), `previousEventId`, `timestamp`, `type` and the
 * details member of their type; `maxResults` 0–1000 (0 or none: the default page of 100),
 * `nextToken`, `reverseOrder` (newest first), `includeExecutionData` (default true; false leaves
 * the inputs and outputs out). Events here follow each other, so the previous event is the one before.
 */

export const historyRequestSchema = z.object({
  executionArn: z.string(),
  maxResults: z.coerce.number().int().min(0).max(1000).optional(),
  nextToken: z.string().optional(),
  reverseOrder: z.boolean().optional(),
  includeExecutionData: z.boolean().optional(),
});

const DATA_FIELDS = new Set(["input", "output"]);

/** Which details member each event type fills (HistoryEvent): every <Type>StateEntered shares stateEnteredEventDetails. */
function detailsMember(type: string): string {
  if (type.endsWith("StateEntered")) return "stateEnteredEventDetails";
  if (type.endsWith("StateExited")) return "stateExitedEventDetails";
  return `${type.charAt(0).toLowerCase()}${type.slice(1)}EventDetails`;
}

export function historyEvents(execution: Execution, includeData: boolean): Record<string, unknown>[] {
  return execution.history().map((entry: HistoryEntry, index) => {
    const details = Object.fromEntries(Object.entries(entry.details ?? {}).filter(([key, value]) => value !== undefined && (includeData || !DATA_FIELDS.has(key))));
    return {
      id: index + 1,
      previousEventId: index,
      timestamp: new Date(entry.timeMs),
      type: entry.type,
      ...(Object.keys(details).length === 0 ? {} : { [detailsMember(entry.type)]: details }),
    };
  });
}
