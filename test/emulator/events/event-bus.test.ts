import { describe, expect, it } from "vitest";
import { DuplicateRuleError, InvalidEventPatternError } from "../../../emulator/events/errors.ts";
import type { EventBridgeEvent } from "../../../emulator/events/types.ts";
import { quietWorld } from "../../support/world.ts";

const launch = { source: "aws.autoscaling", "detail-type": "EC2 Instance-launch Lifecycle Action", detail: { LifecycleActionToken: "t-1" }, resources: ["arn:asg"] };
const pattern = { source: ["aws.autoscaling"], "detail-type": [{ prefix: "EC2 Instance-launch" }] };

describe("EventBus", () => {
  it("fills in the envelope and delivers matching events in the next step", () => {
    const world = quietWorld();
    const seen: EventBridgeEvent[] = [];
    world.events.subscribe("launch-hook", pattern, (event) => void seen.push(event));
    world.events.subscribe("alarms", { source: ["aws.cloudwatch"] }, () => {
      throw new Error("must not be called");
    });
    const published = world.events.publish(launch);
    expect(published).toEqual({
      version: "0",
      id: "00000000-0000-4000-a000-000000000001",
      "detail-type": "EC2 Instance-launch Lifecycle Action",
      source: "aws.autoscaling",
      account: "123456789012",
      time: "2026-01-01T00:00:00Z",
      region: "us-east-1",
      resources: ["arn:asg"],
      detail: { LifecycleActionToken: "t-1" },
    });
    expect(seen).toEqual([]);
    world.advance(1);
    expect(seen).toEqual([published]);
    expect(world.events.deliveries()).toEqual([{ ruleName: "launch-hook", eventId: published.id, detailType: published["detail-type"], deliveredAtMs: Date.parse("2026-01-01T00:00:01Z"), duplicate: false }]);
    expect(world.events.published()).toEqual([published]);
  });

  it("honours faults.events.delaySeconds", () => {
    const world = quietWorld({ faults: { events: { delaySeconds: 30 } } });
    const seen: string[] = [];
    world.events.subscribe("launch-hook", pattern, (event) => void seen.push(event.time));
    world.events.publish(launch);
    world.advance(29);
    expect(seen).toEqual([]);
    world.advance(1);
    expect(seen).toEqual(["2026-01-01T00:00:00Z"]);
  });

  it("delivers duplicates with the same id at faults.events.duplicateRate", () => {
    const world = quietWorld({ faults: { events: { duplicateRate: 1 } } });
    const ids: string[] = [];
    world.events.subscribe("launch-hook", pattern, (event) => void ids.push(event.id));
    const event = world.events.publish(launch);
    world.advance(5);
    expect(ids).toEqual([event.id, event.id]);
    expect(world.events.deliveries().map((delivery) => delivery.duplicate)).toEqual([false, true]);
  });

  it("duplicates a seeded share of events, the same ones for the same seed", () => {
    const duplicated = (seed: number) => {
      const world = quietWorld({ seed, faults: { events: { duplicateRate: 0.3 } } });
      world.events.subscribe("launch-hook", pattern, () => undefined);
      for (let i = 0; i < 200; i++) world.events.publish(launch);
      world.advance(2);
      return world.events.deliveries().filter((delivery) => delivery.duplicate).map((delivery) => delivery.eventId);
    };
    const first = duplicated(7);
    expect(first).toEqual(duplicated(7));
    expect(first.length).toBeGreaterThan(30);
    expect(first.length).toBeLessThan(90);
    expect(first).not.toEqual(duplicated(8));
  });

  it("waits for async targets in flush and records failures without stopping other rules", async () => {
    const world = quietWorld();
    const done: string[] = [];
    world.events.subscribe("slow", pattern, async (event) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      done.push(event.id);
    });
    world.events.subscribe("broken", pattern, async () => {
      throw new Error("handler failed");
    });
    world.events.subscribe("sync-broken", pattern, () => {
      throw new Error("sync failure");
    });
    world.events.publish(launch);
    world.advance(1);
    expect(done).toEqual([]);
    await world.events.flush();
    expect(done).toHaveLength(1);
    expect(world.events.deliveries().map((delivery) => [delivery.ruleName, delivery.error])).toEqual([
      ["slow", undefined],
      ["broken", "handler failed"],
      ["sync-broken", "sync failure"],
    ]);
  });

  it("refuses invalid patterns and a second rule with the same name", () => {
    const world = quietWorld();
    expect(() => world.events.subscribe("bad", { source: "aws.autoscaling" }, () => undefined)).toThrow(InvalidEventPatternError);
    world.events.subscribe("rule", pattern, () => undefined);
    expect(() => world.events.subscribe("rule", pattern, () => undefined)).toThrow(DuplicateRuleError);
    expect(world.events.unsubscribe("rule")).toBe(true);
    world.events.subscribe("rule", pattern, () => undefined);
  });
});
