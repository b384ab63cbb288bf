import { MetricSeries } from "./metric-series.ts";
import type { Dimension, MetricDatum, MetricIdentity } from "./types.ts";

export interface DimensionFilter {
  readonly Name: string;
  readonly Value?: string | undefined;
}

export interface MetricFilter {
  readonly namespace?: string | undefined;
  readonly metricName?: string | undefined;
  readonly dimensions?: readonly DimensionFilter[] | undefined;
  /** Only series with a put at or after this time. */
  readonly activeSinceMs?: number | undefined;
}

const sortDimensions = (dimensions: readonly Dimension[]): Dimension[] =>
  [...dimensions].sort((left, right) => (left.Name < right.Name ? -1 : left.Name > right.Name ? 1 : 0));

/** A metric is identified by its exact, order-independent dimension set. */
const seriesKey = (namespace: string, metricName: string, dimensions: readonly Dimension[]): string =>
  [namespace, metricName, ...sortDimensions(dimensions).map((dimension) => `${dimension.Name}=${dimension.Value}`)].join("\u0000");

/** A put that CloudWatch has accepted but not made readable yet. */
interface PendingPut {
  readonly readableAtMs: number;
  readonly series: MetricSeries;
  readonly datum: MetricDatum;
  readonly putMs: number;
}

/**
 * Every series the account has, keyed by identity. PutMetricData is accepted at once but its
 * datapoints become readable (queries, alarms, ListMetrics) only `ingestionDelayMs` later.
 */
export class MetricStore {
  readonly #series = new Map<string, MetricSeries>();
  readonly #ingestionDelayMs: number;
  /** In put order, which is readable order since the delay is the same for every put. */
  #pending: PendingPut[] = [];
  #pendingHead = 0;

  constructor(ingestionDelayMs = 0) {
    this.#ingestionDelayMs = ingestionDelayMs;
  }

  /** Stores one datum. Standard-resolution data is kept per minute, high-resolution per second. */
  put(namespace: string, datum: MetricDatum, nowMs: number): void {
    this.putInto(this.seriesOf(namespace, datum.MetricName, datum.Dimensions ?? []), datum, nowMs);
  }

  /** The series for an identity, created empty if new (publishers that put often keep it). */
  seriesOf(namespace: string, metricName: string, dimensions: readonly Dimension[]): MetricSeries {
    const key = seriesKey(namespace, metricName, dimensions);
    let series = this.#series.get(key);
    if (!series) {
      series = new MetricSeries({ Namespace: namespace, MetricName: metricName, Dimensions: sortDimensions(dimensions) });
      this.#series.set(key, series);
    }
    return series;
  }

  /** Stores one datum into a series obtained from seriesOf (the datum's name and dimensions are not looked at). */
  putInto(series: MetricSeries, datum: MetricDatum, nowMs: number): void {
    if (this.#ingestionDelayMs === 0) this.#store(series, datum, nowMs);
    else this.#pending.push({ readableAtMs: nowMs + this.#ingestionDelayMs, series, datum, putMs: nowMs });
  }

  /** Makes every put whose ingestion delay has elapsed by `nowMs` readable. */
  ingest(nowMs: number): void {
    const pending = this.#pending;
    let head = this.#pendingHead;
    for (let put = pending[head]; put !== undefined && put.readableAtMs <= nowMs; put = pending[++head]) this.#store(put.series, put.datum, put.putMs);
    if (head === pending.length) {
      this.#pending = [];
      head = 0;
    } else if (head > 1024 && head * 2 > pending.length) {
      this.#pending = pending.slice(head);
      head = 0;
    }
    this.#pendingHead = head;
  }

  #store(series: MetricSeries, datum: MetricDatum, nowMs: number): void {
    const granularityMs = datum.StorageResolution === 1 ? 1000 : 60_000;
    const timestampMs = Math.floor((datum.Timestamp?.getTime() ?? nowMs) / granularityMs) * granularityMs;
    const unit = datum.Unit ?? "None";
    series.lastPutMs = Math.max(series.lastPutMs, nowMs);
    if (datum.StatisticValues) {
      const set = datum.StatisticValues;
      series.add(timestampMs, set.Sum, set.SampleCount, set.Minimum, set.Maximum, unit, false);
    }
    if (datum.Value !== undefined) series.add(timestampMs, datum.Value, 1, datum.Value, datum.Value, unit, true);
    datum.Values?.forEach((value, index) => {
      const count = datum.Counts?.[index] ?? 1;
      series.add(timestampMs, value * count, count, value, value, unit, true);
    });
  }

  find(identity: MetricIdentity): MetricSeries | undefined {
    return this.#series.get(seriesKey(identity.Namespace, identity.MetricName, identity.Dimensions));
  }

  /** Series matching a ListMetrics-style filter, in a stable order. */
  list(filter: MetricFilter): MetricSeries[] {
    const matches: Array<[key: string, series: MetricSeries]> = [];
    for (const [key, series] of this.#series) {
      const identity = series.identity;
      // A series whose first put is still being ingested has nothing readable to list yet.
      if (series.sampleCount === 0) continue;
      if (filter.namespace !== undefined && identity.Namespace !== filter.namespace) continue;
      if (filter.metricName !== undefined && identity.MetricName !== filter.metricName) continue;
      if (filter.activeSinceMs !== undefined && series.lastPutMs < filter.activeSinceMs) continue;
      const dimensionsMatch = (filter.dimensions ?? []).every((wanted) =>
        identity.Dimensions.some((dimension) => dimension.Name === wanted.Name && (wanted.Value === undefined || dimension.Value === wanted.Value)),
      );
      if (dimensionsMatch) matches.push([key, series]);
    }
    return matches.sort(([leftKey], [rightKey]) => (leftKey < rightKey ? -1 : leftKey > rightKey ? 1 : 0)).map(([, series]) => series);
  }

  compact(nowMs: number): void {
    for (const series of this.#series.values()) series.compact(nowMs);
  }

  get sampleCount(): number {
    let total = 0;
    for (const series of this.#series.values()) total += series.sampleCount;
    return total;
  }
}
