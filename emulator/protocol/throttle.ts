/**
 * ELBv2 (and Auto Scaling) Describe calls share a token bucket per account and region: about
 * 40 tokens, refilled at 10 per second (BRIEF field facts). Time is the world's virtual clock.
 */
export const DESCRIBE_BUCKET_CAPACITY = 40;
const DESCRIBE_REFILL_PER_SECOND = 10;

class TokenBucket {
  readonly #capacity: number;
  readonly #refillPerSecond: number;
  #tokens: number;
  #lastMs: number | undefined;

  constructor(capacity: number, refillPerSecond: number) {
    this.#capacity = capacity;
    this.#refillPerSecond = refillPerSecond;
    this.#tokens = capacity;
  }

  /** Takes one token if there is one. */
  tryTake(nowMs: number): boolean {
    if (this.#lastMs !== undefined) {
      const refill = ((nowMs - this.#lastMs) / 1000) * this.#refillPerSecond;
      this.#tokens = Math.min(this.#capacity, this.#tokens + refill);
    }
    this.#lastMs = nowMs;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}

/** One Describe bucket per service (the world is a single account and region). */
export class DescribeThrottle {
  readonly #buckets = new Map<string, TokenBucket>();

  allows(service: string, action: string, nowMs: number): boolean {
    if (!action.startsWith("Describe")) return true;
    let bucket = this.#buckets.get(service);
    if (bucket === undefined) {
      bucket = new TokenBucket(DESCRIBE_BUCKET_CAPACITY, DESCRIBE_REFILL_PER_SECOND);
      this.#buckets.set(service, bucket);
    }
    return bucket.tryTake(nowMs);
  }
}
