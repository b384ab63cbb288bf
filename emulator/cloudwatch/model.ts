import type { CloudWatchWorld } from "./ports.ts";
import type { AlarmFilter, AlarmHistoryFilter, AlarmHistoryItem, MetricAlarm, MetricAlarmInput } from "./alarm-types.ts";
import { AlarmActionRouter } from "./alarm-action-router.ts";
import { AlarmStore } from "./alarms.ts";
import { paginate } from "../protocol/pagination.ts";
import { invalidNextToken } from "./errors.ts";
import { MetricStore, type MetricFilter } from "./metric-store.ts";
import { getMetricData, getMetricStatistics, type GetMetricDataInput, type GetMetricStatisticsInput } from "./queries.ts";
import type { AlarmStateValue, MetricDatum, MetricIdentity } from "./types.ts";

const COMPACT_EVERY_MS = 5 * 60_000;
const LIST_METRICS_PAGE = 500;

export interface CloudWatchOptions {
  /** Seconds from PutMetricData until its datapoints are readable by queries and alarms. */
  readonly ingestionDelaySeconds: number;
}

/**
 * The account's CloudWatch: the metric store, GetMetricData / GetMetricStatistics / ListMetrics,
 * metric alarms evaluated on the virtual clock.
 * Every read sees only the datapoints ingested by then. Inputs here are typed; the wire actions
 * (actions/) turn wire params into them.
 */
export class CloudWatchModel {
  readonly #world: CloudWatchWorld;
  readonly metrics: MetricStore;
  /** Services register here to receive the alarm actions whose ARNs name them. */
  readonly alarmActions = new AlarmActionRouter();
  readonly #alarms: AlarmStore;

  constructor(world: CloudWatchWorld, options: CloudWatchOptions) {
    this.#world = world;
    this.metrics = new MetricStore(options.ingestionDelaySeconds * 1000);
    this.#alarms = new AlarmStore(world, this.metrics, this.alarmActions);
  }

  /** Stores data as PutMetricData does (call validateMetricData first for caller-supplied data). */
  putMetricData(namespace: string, data: readonly MetricDatum[]): void {
    const nowMs = this.#world.clock.nowMs;
    for (const datum of data) this.metrics.put(namespace, datum, nowMs);
  }

  getMetricData(input: GetMetricDataInput): ReturnType<typeof getMetricData> {
    return getMetricData(this.#readable(), input);
  }

  getMetricStatistics(input: GetMetricStatisticsInput): ReturnType<typeof getMetricStatistics> {
    return getMetricStatistics(this.#readable(), input);
  }

  listMetrics(filter: MetricFilter & { nextToken?: string | undefined }): { Metrics: MetricIdentity[]; NextToken?: string } {
    const request = { maxResults: LIST_METRICS_PAGE, nextToken: filter.nextToken, growsAt: "end" as const, invalidToken: invalidNextToken };
    const { page, nextToken } = paginate(this.#readable().list(filter), request);
    const Metrics = page.map((series) => structuredClone(series.identity) as MetricIdentity);
    return nextToken === undefined ? { Metrics } : { Metrics, NextToken: nextToken };
  }

  putMetricAlarm(input: MetricAlarmInput): void {
    this.#alarms.put(input);
  }

  describeAlarms(filter: AlarmFilter = {}): { MetricAlarms: MetricAlarm[]; NextToken?: string } {
    return this.#alarms.describe(filter);
  }

  describeAlarmHistory(filter: AlarmHistoryFilter = {}): { AlarmHistoryItems: AlarmHistoryItem[]; NextToken?: string } {
    return this.#alarms.history(filter);
  }

  alarm(name: string): Readonly<MetricAlarm> | undefined {
    return this.#alarms.get(name);
  }

  /** SetAlarmState: publishes the state-change event if the state changes; the next evaluation may move it back. */
  setAlarmState(alarmName: string, state: AlarmStateValue, reason: string, reasonData?: string): void {
    this.#alarms.setState(alarmName, state, reason, reasonData);
  }

  deleteAlarms(names: readonly string[]): void {
    this.#alarms.delete(names);
  }

  /** The store with everything ingested by now (calls arrive between physics steps). */
  #readable(): MetricStore {
    this.metrics.ingest(this.#world.clock.nowMs);
    return this.metrics;
  }

  step(nowMs: number): void {
    this.metrics.ingest(nowMs);
    this.#alarms.step(nowMs);
    if (nowMs % COMPACT_EVERY_MS === 0) this.metrics.compact(nowMs);
  }
}
