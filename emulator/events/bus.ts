import type { EventBusWorld, EventDeliverySettings } from "./ports.ts";
import { DuplicateRuleError } from "./errors.ts";
import { matchesPattern } from "./pattern.ts";
import { validatePattern } from "./pattern-validation.ts";
import type { EventBridgeEvent, EventDelivery, EventInput, EventPattern, EventTarget } from "./types.ts";

interface Subscription {
  readonly ruleName: string;
  readonly pattern: EventPattern;
  readonly target: EventTarget;
}

interface QueuedDelivery {
  readonly event: EventBridgeEvent;
  readonly dueMs: number;
  readonly duplicate: boolean;
}

/** A second copy of a duplicated event arrives this long after the first. */
export const DUPLICATE_LAG_MS = 1000;

/** EventBridge ISO time: second precision, `Z`. */
const eventTime = (epochMs: number): string => new Date(Math.floor(epochMs / 1000) * 1000).toISOString().replace(".000Z", "Z");

/**
 * The account's default event bus. Events are delivered in `step`, after the configured delay,
 * to every rule whose pattern matches; with a duplicateRate an event is delivered a
 * second time with the same id, as EventBridge's at-least-once delivery allows. Service events
 * such as Auto Scaling's are "best effort": a dropRate loses some, and
 * jitterSeconds delays each delivery by a random extra amount, so events can overtake each
 * other. A failing target is recorded, not retried.
 */
export class EventBus {
  readonly #world: EventBusWorld;
  readonly #delivery: EventDeliverySettings;
  readonly #subscriptions = new Map<string, Subscription>();
  readonly #queue: QueuedDelivery[] = [];
  readonly #published: EventBridgeEvent[] = [];
  readonly #dropped: EventBridgeEvent[] = [];
  readonly #deliveries: EventDelivery[] = [];
  readonly #pending = new Set<Promise<unknown>>();
  #sequence = 0;

  constructor(world: EventBusWorld, delivery: EventDeliverySettings) {
    this.#world = world;
    this.#delivery = delivery;
  }

  /** Accepts an event now; it is delivered in a later step (or this step's, if the bus has not stepped yet). */
  publish<Detail>(input: EventInput<Detail>): EventBridgeEvent<Detail> {
    const { accountId, region, clock, rng } = this.#world;
    this.#sequence += 1;
    const event: EventBridgeEvent<Detail> = {
      version: "0",
      id: `00000000-0000-4000-a000-${this.#sequence.toString(16).padStart(12, "0")}`,
      "detail-type": input["detail-type"],
      source: input.source,
      account: accountId,
      time: eventTime(input.timeMs ?? clock.nowMs),
      region,
      resources: [...(input.resources ?? [])],
      detail: input.detail,
    };
    this.#published.push(event);
    const { delaySeconds, duplicateRate, dropRate, jitterSeconds } = this.#delivery;
    if (dropRate > 0 && rng.chance(dropRate)) {
      this.#dropped.push(event);
      return event;
    }
    const dueMs = (): number => clock.nowMs + delaySeconds * 1000 + (jitterSeconds > 0 ? rng.int(0, jitterSeconds * 1000) : 0);
    this.#queue.push({ event, dueMs: dueMs(), duplicate: false });
    if (duplicateRate > 0 && rng.chance(duplicateRate)) this.#queue.push({ event, dueMs: dueMs() + DUPLICATE_LAG_MS, duplicate: true });
    return event;
  }

  /** Routes matching events to `target`. The pattern is validated as PutRule would. */
  subscribe(ruleName: string, eventPattern: unknown, target: EventTarget): void {
    if (this.#subscriptions.has(ruleName)) throw new DuplicateRuleError(ruleName);
    this.#subscriptions.set(ruleName, { ruleName, pattern: validatePattern(eventPattern), target });
  }

  unsubscribe(ruleName: string): boolean {
    return this.#subscriptions.delete(ruleName);
  }

  /** Delivers what is due, earliest due first (so a jittered event can overtake an older one). */
  step(nowMs: number): void {
    const due = this.#queue.filter((queued) => queued.dueMs <= nowMs).sort((left, right) => left.dueMs - right.dueMs);
    if (due.length === 0) return;
    const remaining = this.#queue.filter((queued) => queued.dueMs > nowMs);
    this.#queue.length = 0;
    this.#queue.push(...remaining);
    for (const queued of due) this.#deliver(queued, nowMs);
  }

  /**
   * Another service's asynchronous call into the account (Auto Scaling invoking a Lambda
   * termination policy): `flush` waits for it like for a rule's target.
   */
  track(work: Promise<unknown>): void {
    const settled: Promise<unknown> = work.then(
      () => this.#pending.delete(settled),
      () => this.#pending.delete(settled),
    );
    this.#pending.add(settled);
  }

  /** Waits until every async target started so far has settled (including ones started meanwhile). */
  async flush(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }

  published(): readonly EventBridgeEvent[] {
    return this.#published;
  }

  /** Events accepted but never delivered (the dropRate). */
  dropped(): readonly EventBridgeEvent[] {
    return this.#dropped;
  }

  deliveries(): readonly EventDelivery[] {
    return this.#deliveries;
  }

  /** Events accepted but not yet delivered (delayed or duplicated). */
  get queuedCount(): number {
    return this.#queue.length;
  }

  #deliver(queued: QueuedDelivery, nowMs: number): void {
    for (const subscription of this.#subscriptions.values()) {
      if (!matchesPattern(subscription.pattern, queued.event)) continue;
      const delivery: EventDelivery = {
        ruleName: subscription.ruleName,
        eventId: queued.event.id,
        detailType: queued.event["detail-type"],
        deliveredAtMs: nowMs,
        duplicate: queued.duplicate,
      };
      this.#deliveries.push(delivery);
      try {
        const result = subscription.target(queued.event);
        if (result instanceof Promise) {
          const settled: Promise<unknown> = result.then(
            () => this.#pending.delete(settled),
            (error: unknown) => {
              delivery.error = error instanceof Error ? error.message : String(error);
              this.#pending.delete(settled);
            },
          );
          this.#pending.add(settled);
        }
      } catch (error) {
        delivery.error = error instanceof Error ? error.message : String(error);
      }
    }
  }
}
