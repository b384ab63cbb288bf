import type { AccountContext, RandomSource } from "../account.ts";

/** What the event bus reads of the world: the account, and the random stream its delivery faults draw from. */
export interface EventBusWorld extends AccountContext {
  readonly rng: RandomSource;
}

/**
 * How the bus delivers: each delivery is late by delaySeconds plus a random 0..jitterSeconds,
 * a fraction duplicateRate is delivered twice, a fraction dropRate never (service events are best effort).
 */
export interface EventDeliverySettings {
  readonly delaySeconds: number;
  readonly jitterSeconds: number;
  readonly duplicateRate: number;
  readonly dropRate: number;
}
