import { SeriesTier } from "./series-tier.ts";
import { STANDARD_UNITS, type Datapoint, type MetricIdentity, type StandardUnit, type WeightedValue } from "./types.ts";

/** High-resolution and per-second samples are kept this long, then rolled up per minute (as AWS does). */
const RAW_RETENTION_MS = 3 * 3600_000;
/** Per-minute data is kept for 15 days; older data is dropped (AWS would keep 5-minute and hourly rollups). */
const ROLLUP_RETENTION_MS = 15 * 86_400_000;
const MINUTE_MS = 60_000;

const unitIndex = new Map<StandardUnit, number>(STANDARD_UNITS.map((unit, index) => [unit, index]));
const unitCode = (unit: StandardUnit): number => unitIndex.get(unit) ?? 0;
const unitName = (code: number): StandardUnit => STANDARD_UNITS[code] ?? "None";

export interface PeriodQuery {
  readonly startMs: number;
  readonly endMs: number;
  readonly periodMs: number;
  readonly unit?: StandardUnit | undefined;
  /** Keep weighted raw values per period (only needed for percentiles). */
  readonly withValues: boolean;
}

interface Bucket {
  timestampMs: number;
  sampleCount: number;
  sum: number;
  minimum: number;
  maximum: number;
  unit: number;
  values: WeightedValue[] | undefined;
  percentilesKnown: boolean;
}

/** One metric (namespace, name, exact dimension set) and its samples. */
export class MetricSeries {
  readonly identity: MetricIdentity;
  readonly recent = new SeriesTier();
  readonly rollup = new SeriesTier();
  lastPutMs = 0;

  constructor(identity: MetricIdentity) {
    this.identity = identity;
  }

  add(timestampMs: number, sum: number, count: number, minimum: number, maximum: number, unit: StandardUnit, raw: boolean): void {
    this.recent.insert(timestampMs, sum, count, minimum, maximum, unitCode(unit), raw ? 1 : 0);
  }

  /** Moves samples older than the raw retention into per-minute rollups and drops expired rollups. */
  compact(nowMs: number): void {
    const rollupBefore = this.recent.lowerBound(nowMs - RAW_RETENTION_MS);
    const tier = this.recent;
    for (let index = tier.start; index < rollupBefore; index++) {
      const minute = Math.floor((tier.timestamps[index] ?? 0) / MINUTE_MS) * MINUTE_MS;
      this.rollup.merge(minute, tier.sums[index] ?? 0, tier.counts[index] ?? 0, tier.minimums[index] ?? 0, tier.maximums[index] ?? 0, tier.units[index] ?? 0);
    }
    tier.dropBefore(rollupBefore);
    this.rollup.dropBefore(this.rollup.lowerBound(nowMs - ROLLUP_RETENTION_MS));
  }

  get sampleCount(): number {
    return this.recent.size + this.rollup.size;
  }

  /** Aggregates samples in [startMs, endMs) into periods starting at startMs; periods without data are absent. */
  aggregate(query: PeriodQuery): Datapoint[] {
    const buckets = new Map<number, Bucket>();
    const wantedUnit = query.unit === undefined ? -1 : unitCode(query.unit);
    for (const tier of [this.rollup, this.recent]) {
      const end = tier.lowerBound(query.endMs);
      for (let index = tier.lowerBound(query.startMs); index < end; index++) {
        const unit = tier.units[index] ?? 0;
        if (wantedUnit >= 0 && unit !== wantedUnit) continue;
        const timestampMs = tier.timestamps[index] ?? 0;
        const slot = Math.floor((timestampMs - query.startMs) / query.periodMs);
        let bucket = buckets.get(slot);
        if (!bucket) {
          bucket = {
            timestampMs: query.startMs + slot * query.periodMs,
            sampleCount: 0,
            sum: 0,
            minimum: Number.POSITIVE_INFINITY,
            maximum: Number.NEGATIVE_INFINITY,
            unit,
            values: query.withValues ? [] : undefined,
            percentilesKnown: true,
          };
          buckets.set(slot, bucket);
        }
        const count = tier.counts[index] ?? 0;
        const minimum = tier.minimums[index] ?? 0;
        bucket.sampleCount += count;
        bucket.sum += tier.sums[index] ?? 0;
        bucket.minimum = Math.min(bucket.minimum, minimum);
        bucket.maximum = Math.max(bucket.maximum, tier.maximums[index] ?? 0);
        if (tier.raw[index] === 1) bucket.values?.push({ value: minimum, weight: count });
        else bucket.percentilesKnown = false;
      }
    }
    return [...buckets.values()]
      .sort((left, right) => left.timestampMs - right.timestampMs)
      .map((bucket) => ({
        timestampMs: bucket.timestampMs,
        sampleCount: bucket.sampleCount,
        sum: bucket.sum,
        minimum: bucket.minimum,
        maximum: bucket.maximum,
        unit: unitName(bucket.unit),
        values: bucket.percentilesKnown ? bucket.values : undefined,
      }));
  }
}
