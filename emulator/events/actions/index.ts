import { z } from "zod";
import { AwsApiError } from "../../protocol/errors.ts";
import type { ServiceModel } from "../../protocol/service-types.ts";
import { putEventsEntrySize, refuseEntry, type PutEventsEntry } from "./put-events.ts";

/** The PutEvents API reference's limits: 1 to 10 entries, each entry's own fields bounded. */
const putEventsSchema = z.strictObject({
  Entries: z
    .array(
      z.strictObject({
        Source: z.string().optional(),
        DetailType: z.string().optional(),
        Detail: z.string().optional(),
        EventBusName: z.string().min(1).max(1600).optional(),
        Resources: z.array(z.string().max(2048)).optional(),
        // JSON 1.1 timestamps travel as epoch seconds.
        Time: z.number().optional(),
        TraceHeader: z.string().min(1).max(500).optional(),
      }),
    )
    .min(1)
    .max(10),
  EndpointId: z.string().min(1).max(50).optional(),
});

/** The total of the request's entries, as "Calculating PutEvents event entry size" counts them. */
const MAX_REQUEST_BYTES = 256 * 1024;

/** Amazon EventBridge on the account's default bus: custom events go through the same rules as the services' own. */
export const eventsService: ServiceModel = {
  name: "events",
  actions: {
    PutEvents(params, { world }) {
      const request = putEventsSchema.parse(params);
      if (request.EndpointId !== undefined) throw new AwsApiError("ValidationException", "Global endpoints are not emulated");
      const entries: PutEventsEntry[] = request.Entries;
      const size = entries.reduce((total, entry) => total + putEventsEntrySize(entry), 0);
      if (size > MAX_REQUEST_BYTES) throw new AwsApiError("ValidationException", "Total size of the entries in the request is over the limit.");
      // With no entry carrying Source, DetailType and Detail, EventBridge fails the whole request.
      if (!entries.some((entry) => Boolean(entry.Source) && Boolean(entry.DetailType) && Boolean(entry.Detail))) {
        throw new AwsApiError("ValidationException", "Parameters Source, DetailType and Detail are required in at least one entry.");
      }
      const refusals = entries.map((entry) => refuseEntry(entry, world));
      const results = entries.map((entry, index) => {
        const refusal = refusals[index];
        if (refusal !== undefined) return { ErrorCode: refusal.code, ErrorMessage: refusal.message };
        const event = world.events.publish({
          source: entry.Source ?? "",
          "detail-type": entry.DetailType ?? "",
          detail: JSON.parse(entry.Detail ?? "{}") as unknown,
          resources: entry.Resources ?? [],
          ...(entry.Time === undefined ? {} : { timeMs: entry.Time * 1000 }),
        });
        return { EventId: event.id };
      });
      return { FailedEntryCount: results.filter((result) => "ErrorCode" in result).length, Entries: results };
    },
  },
};
