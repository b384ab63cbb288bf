import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { describe, expect, it } from "vitest";
import { eventsService } from "../../../emulator/events/actions/index.ts";
import type { EventBridgeEvent } from "../../../emulator/events/types.ts";
import type { World } from "../../../sim/world.ts";
import { clientConfigFor, rejection } from "../../support/protocol.ts";
import { quietWorld } from "../../support/world.ts";

/*
 * PutEvents, Amazon EventBridge API Reference
 * (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEvents.html): "Sends custom
 * events to Amazon EventBridge so that they can be matched to rules"; Entries: 1 to 10 items;
 * "the total entry size must be less than 256KB" (sizes as "Calculating PutEvents event entry
 * size", https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-putevent-size.html, counts
 * them). PutEventsRequestEntry: Detail is "a valid JSON object"; "Detail, DetailType, and Source
 * are required ... If you include event entries in a request that do not include each of those
 * properties, EventBridge fails that entry. If you submit a request in which none of the entries
 * have each of these properties, EventBridge fails the entire request." EventBusName: "If you
 * omit this, the default event bus is used." PutEventsResultEntry: an EventId, or ErrorCode
 * (InvalidArgument, MalformedDetail, NotAuthorizedForSourceException, ...) and ErrorMessage;
 * FailedEntryCount counts the failed ones.
 */

const client = (world: World) => new EventBridgeClient(clientConfigFor(world, { events: eventsService }));
const entry = { Source: "ebb", DetailType: "Ebb Deploy Started", Detail: JSON.stringify({ deployId: "d-1" }) };

describe("PutEvents over the wire (AWS JSON 1.1, AWSEvents.PutEvents)", () => {
  it("puts custom events on the default bus, where a rule on source ebb matches them", async () => {
    const world = quietWorld();
    const seen: EventBridgeEvent[] = [];
    world.events.subscribe("ebb-progress", { source: ["ebb"] }, (event) => void seen.push(event));
    world.events.subscribe("aws-only", { source: ["aws.autoscaling"] }, () => {
      throw new Error("must not match");
    });
    const time = new Date("2026-01-01T00:00:00Z");
    const response = await client(world).send(new PutEventsCommand({ Entries: [{ ...entry, Resources: ["arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:x"], Time: time }, { ...entry, EventBusName: "default" }] }));
    expect(response.FailedEntryCount).toBe(0);
    expect(response.Entries?.map((result) => typeof result.EventId)).toEqual(["string", "string"]);
    world.advance(1);
    expect(seen).toHaveLength(2);
    expect(seen[0]).toMatchObject({ source: "ebb", "detail-type": "Ebb Deploy Started", detail: { deployId: "d-1" }, time: "2026-01-01T00:00:00Z", resources: ["arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:x"], id: response.Entries?.[0]?.EventId });
  });

  it("fails bad entries one by one, in order, and takes the rest", async () => {
    const world = quietWorld();
    const response = await client(world).send(
      new PutEventsCommand({
        Entries: [
          entry,
          { ...entry, Detail: "[1, 2]" },
          { ...entry, Detail: "{not json" },
          { Source: "ebb", DetailType: "x" },
          { ...entry, Source: "aws.autoscaling" },
          { ...entry, EventBusName: "no-such-bus" },
        ],
      }),
    );
    expect(response.FailedEntryCount).toBe(5);
    expect(response.Entries?.map((result) => result.ErrorCode ?? "ok")).toEqual(["ok", "MalformedDetail", "MalformedDetail", "InvalidArgument", "NotAuthorizedForSourceException", "InvalidArgument"]);
    expect(response.Entries?.slice(1).every((result) => result.EventId === undefined && (result.ErrorMessage ?? "") !== "")).toBe(true);
    expect(world.events.published().filter((event) => event.source === "ebb")).toHaveLength(1);
  });

  it("refuses the whole request: no entries, more than 10, over 256 KB, none complete", async () => {
    const world = quietWorld();
    const send = (entries: object[]) => rejection(client(world).send(new PutEventsCommand({ Entries: entries })));
    expect((await send([])).name).toBe("ValidationException");
    expect((await send(Array.from({ length: 11 }, () => entry))).name).toBe("ValidationException");
    const big = { ...entry, Detail: JSON.stringify({ blob: "x".repeat(130 * 1024) }) };
    expect((await client(world).send(new PutEventsCommand({ Entries: [big] }))).FailedEntryCount).toBe(0);
    expect((await send([big, big])).message).toMatch(/over the limit/);
    expect((await send([{ Source: "ebb" }, { DetailType: "x", Detail: "{}" }])).name).toBe("ValidationException");
    // Only the one 130 KB entry sent on its own went through.
    expect(world.events.published()).toHaveLength(1);
  });
});
