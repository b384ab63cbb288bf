/**
 * Time-ordered samples of one series in parallel number arrays (no object per sample, so a
 * thousand instances publishing every 10 s for hours stays compact). A sample is either a raw
 * value with a weight (min === max, `raw` = 1) or an aggregate (a statistic set or a rollup).
 * Samples before `#start` are dead; they are dropped in bulk to keep removal O(1) amortised.
 */
export class SeriesTier {
  readonly timestamps: number[] = [];
  readonly sums: number[] = [];
  readonly counts: number[] = [];
  readonly minimums: number[] = [];
  readonly maximums: number[] = [];
  readonly units: number[] = [];
  /** 1 when the sample is count × one value (usable for percentiles), 0 for aggregates. */
  readonly raw: number[] = [];
  #start = 0;

  get start(): number {
    return this.#start;
  }

  get size(): number {
    return this.timestamps.length - this.#start;
  }

  /** Index of the first live sample at or after `timestampMs`. */
  lowerBound(timestampMs: number): number {
    return this.#search(timestampMs, false);
  }

  /** Adds a sample keeping time order (out-of-order puts are rare; they cost a splice). */
  insert(timestampMs: number, sum: number, count: number, minimum: number, maximum: number, unit: number, raw: number): void {
    const last = this.timestamps[this.timestamps.length - 1];
    if (last === undefined || last <= timestampMs) {
      this.timestamps.push(timestampMs);
      this.sums.push(sum);
      this.counts.push(count);
      this.minimums.push(minimum);
      this.maximums.push(maximum);
      this.units.push(unit);
      this.raw.push(raw);
      return;
    }
    const at = this.#search(timestampMs, true);
    this.timestamps.splice(at, 0, timestampMs);
    this.sums.splice(at, 0, sum);
    this.counts.splice(at, 0, count);
    this.minimums.splice(at, 0, minimum);
    this.maximums.splice(at, 0, maximum);
    this.units.splice(at, 0, unit);
    this.raw.splice(at, 0, raw);
  }

  /** Merges a sample into the aggregate at exactly `timestampMs` with the same unit, or adds one. */
  merge(timestampMs: number, sum: number, count: number, minimum: number, maximum: number, unit: number): void {
    for (let index = this.#search(timestampMs, true) - 1; index >= this.#start; index--) {
      if (this.timestamps[index] !== timestampMs) break;
      if (this.units[index] !== unit) continue;
      this.sums[index] = (this.sums[index] ?? 0) + sum;
      this.counts[index] = (this.counts[index] ?? 0) + count;
      this.minimums[index] = Math.min(this.minimums[index] ?? minimum, minimum);
      this.maximums[index] = Math.max(this.maximums[index] ?? maximum, maximum);
      this.raw[index] = 0;
      return;
    }
    this.insert(timestampMs, sum, count, minimum, maximum, unit, 0);
  }

  /** Forgets every sample before index `end`. */
  dropBefore(end: number): void {
    this.#start = Math.max(this.#start, end);
    if (this.#start > 1024 && this.#start * 2 > this.timestamps.length) {
      for (const column of [this.timestamps, this.sums, this.counts, this.minimums, this.maximums, this.units, this.raw]) {
        column.splice(0, this.#start);
      }
      this.#start = 0;
    }
  }

  /** Binary search over the live samples: the first index after those before (or, with `pastEqual`, at) `timestampMs`. */
  #search(timestampMs: number, pastEqual: boolean): number {
    let low = this.#start;
    let high = this.timestamps.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const sample = this.timestamps[middle] ?? 0;
      if (sample < timestampMs || (pastEqual && sample === timestampMs)) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}
