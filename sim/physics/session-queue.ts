import type { Rng } from "../random.ts";

export interface BackoffSettings {
  initialDelaySeconds: number;
  maxDelaySeconds: number;
  multiplier: number;
  jitter: "full" | "equal" | "none";
}

/** Beyond this many failed attempts the delay is capped anyway; deeper levels would only cost memory. */
const MAX_ATTEMPT = 40;
/** Batches up to this size draw a delay per session; larger ones are spread evenly (an exact aggregate). */
const PER_SESSION_DRAWS = 16;

/**
 * Sessions waiting to (re)connect, counted by the whole second they are due and by how many
 * attempts already failed: no per-session objects, so a million sessions cost a few buckets.
 */
export class SessionQueue {
  readonly #buckets = new Map<number, number[]>();
  #size = 0;

  get size(): number {
    return this.#size;
  }

  add(dueSecond: number, attempt: number, count: number): void {
    if (count <= 0) return;
    const level = Math.min(attempt, MAX_ATTEMPT);
    let bucket = this.#buckets.get(dueSecond);
    if (bucket === undefined) {
      bucket = [];
      this.#buckets.set(dueSecond, bucket);
    }
    while (bucket.length <= level) bucket.push(0);
    bucket[level] = (bucket[level] ?? 0) + count;
    this.#size += count;
  }

  /** Removes and returns the sessions due at `second`, indexed by failed attempts so far. */
  takeDue(second: number): number[] {
    const bucket = this.#buckets.get(second);
    if (bucket === undefined) return [];
    this.#buckets.delete(second);
    for (const count of bucket) this.#size -= count;
    return bucket;
  }

  /** Schedules `count` sessions uniformly over [nowSecond + minDelay, nowSecond + maxDelay]. */
  spreadUniform(rng: Rng, nowSecond: number, attempt: number, count: number, minDelay: number, maxDelay: number): void {
    const first = nowSecond + Math.max(1, Math.ceil(minDelay));
    const last = Math.max(first, nowSecond + Math.ceil(maxDelay));
    if (count <= PER_SESSION_DRAWS) {
      for (let i = 0; i < count; i++) this.add(rng.int(first, last), attempt, 1);
      return;
    }
    const seconds = last - first + 1;
    const each = Math.floor(count / seconds);
    if (each > 0) for (let second = first; second <= last; second++) this.add(second, attempt, each);
    const remainder = count - each * seconds;
    for (let i = 0; i < remainder; i++) this.add(rng.int(first, last), attempt, 1);
  }

  /** Schedules a retry after failed attempt number `attempt` with exponential backoff and jitter. */
  backoff(rng: Rng, settings: BackoffSettings, nowSecond: number, attempt: number, count: number): void {
    const ceiling = Math.min(settings.maxDelaySeconds, settings.initialDelaySeconds * settings.multiplier ** attempt);
    const low = settings.jitter === "full" ? 0 : settings.jitter === "equal" ? ceiling / 2 : ceiling;
    this.spreadUniform(rng, nowSecond, attempt + 1, count, low, ceiling);
  }

  /** Schedules sessions that come back after an exponentially distributed time away. */
  spreadExponential(rng: Rng, nowSecond: number, meanSeconds: number, count: number): void {
    const parts = Math.min(count, PER_SESSION_DRAWS);
    for (let part = 0; part < parts; part++) {
      const share = Math.floor(count / parts) + (part < count % parts ? 1 : 0);
      const delay = -meanSeconds * Math.log(1 - rng.next());
      this.add(nowSecond + Math.max(1, Math.round(delay)), 0, share);
    }
  }
}
