/** An event in EventBridge's envelope, exactly as rules and targets see it. */
export interface EventBridgeEvent<Detail = unknown> {
  readonly version: "0";
  readonly id: string;
  readonly "detail-type": string;
  readonly source: string;
  readonly account: string;
  /** ISO 8601 without milliseconds, e.g. 2026-01-01T00:05:00Z. */
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: Detail;
}

/** What a publisher supplies; the bus fills in the rest. */
export interface EventInput<Detail = unknown> {
  readonly source: string;
  readonly "detail-type": string;
  readonly detail: Detail;
  readonly resources?: readonly string[];
  /** When the event happened (PutEvents' Time); the bus's clock when absent. */
  readonly timeMs?: number;
}

/** The account's default event bus as the services see it: something to publish to. */
export interface EventPublisher {
  publish(input: EventInput<unknown>): unknown;
}

/** A rule's target: a Lambda handler, a Step Functions start, a test probe. */
export type EventTarget = (event: EventBridgeEvent) => void | Promise<unknown>;

/** One attempt to hand an event to a rule's target. */
export interface EventDelivery {
  readonly ruleName: string;
  readonly eventId: string;
  readonly detailType: string;
  readonly deliveredAtMs: number;
  /** true for the second copy of an event (at-least-once delivery). */
  readonly duplicate: boolean;
  /** Set when the target threw or its promise rejected. */
  error?: string;
}

/** A JSON leaf condition or a nested object of them, as in an EventBridge rule's EventPattern. */
export type PatternValue = string | number | boolean | null | { readonly [operator: string]: unknown };
export interface EventPattern {
  readonly [field: string]: EventPattern | readonly PatternValue[] | readonly EventPattern[];
}
