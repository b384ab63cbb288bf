import { paginate } from "../protocol/pagination.ts";
import type { AlarmHistoryFilter, AlarmHistoryItem, MetricAlarm } from "./alarm-types.ts";
import { validMaxRecords } from "./alarm-validation.ts";
import { invalidNextToken } from "./errors.ts";
import type { AlarmStateValue } from "./types.ts";

/** CloudWatch keeps an alarm's history for 30 days (also after the alarm is deleted). */
export const HISTORY_RETENTION_MS = 30 * 86_400_000;

/** An alarm state as a history item records it. */
export interface HistoryState {
  readonly value: AlarmStateValue;
  readonly reason: string;
  readonly reasonData?: string | undefined;
}

/** CloudWatch writes the reason data inside HistoryData as JSON, not as an escaped string. */
const stateJson = (state: HistoryState): Record<string, unknown> => ({
  stateValue: state.value,
  stateReason: state.reason,
  ...(state.reasonData === undefined ? {} : { stateReasonData: JSON.parse(state.reasonData) as unknown }),
});

/** The alarm as CloudWatch's Java service serializes it into ConfigurationUpdate history (bean names, epoch-ms dates). */
const configurationJson = (alarm: Readonly<MetricAlarm>): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(alarm).map(([key, value]: [string, unknown]) => {
      const name = key === "OKActions" ? "okactions" : key.charAt(0).toLowerCase() + key.slice(1);
      if (value instanceof Date) return [name, value.getTime()];
      if (key === "Statistic" && typeof value === "string") return [name, value.toUpperCase()];
      if (key === "Dimensions") return [name, alarm.Dimensions.map((dimension) => ({ name: dimension.Name, value: dimension.Value }))];
      return [name, value];
    }),
  );

/**
 * The account's alarm history: every configuration change and state change, oldest first,
 * kept for the retention period. Items only ever join at the newest end, so NextToken paging
 * stays stable in either scan direction.
 */
export class AlarmHistory {
  #items: AlarmHistoryItem[] = [];

  recordStateUpdate(alarmName: string, previous: HistoryState, next: HistoryState, nowMs: number): void {
    this.#record(nowMs, {
      AlarmName: alarmName,
      AlarmType: "MetricAlarm",
      Timestamp: new Date(nowMs),
      HistoryItemType: "StateUpdate",
      HistorySummary: `Alarm updated from ${previous.value} to ${next.value}`,
      HistoryData: JSON.stringify({ version: "1.0", oldState: stateJson(previous), newState: stateJson(next) }),
    });
  }

  /** `previous`: the configuration before an update; undefined when the alarm was just created. */
  recordConfigurationUpdate(change: "Create" | "Update" | "Delete", alarm: Readonly<MetricAlarm>, previous: Readonly<MetricAlarm> | undefined, nowMs: number): void {
    const current = configurationJson(alarm);
    let data: Record<string, unknown>;
    if (change === "Create") data = { version: "1.0", type: change, createdAlarm: current };
    else if (change === "Delete") data = { version: "1.0", type: change, deletedAlarm: current };
    else {
      const original = previous === undefined ? {} : configurationJson(previous);
      const changed = Object.entries(original).filter(([key, value]) => JSON.stringify(value) !== JSON.stringify(current[key]));
      data = { version: "1.0", type: change, updatedAlarm: current, originalUpdatedFields: Object.fromEntries(changed) };
    }
    this.#record(nowMs, {
      AlarmName: alarm.AlarmName,
      AlarmType: "MetricAlarm",
      Timestamp: new Date(nowMs),
      HistoryItemType: "ConfigurationUpdate",
      HistorySummary: `Alarm "${alarm.AlarmName}" ${change === "Create" ? "created" : change === "Update" ? "updated" : "deleted"}`,
      HistoryData: JSON.stringify(data),
    });
  }

  describe(filter: AlarmHistoryFilter, nowMs: number): { AlarmHistoryItems: AlarmHistoryItem[]; NextToken?: string } {
    const maxRecords = validMaxRecords(filter.MaxRecords, 100);
    const types = filter.AlarmTypes === undefined || filter.AlarmTypes.length === 0 ? ["MetricAlarm"] : filter.AlarmTypes;
    const oldestMs = Math.max(nowMs - HISTORY_RETENTION_MS, filter.StartDate?.getTime() ?? -Infinity);
    const newestMs = filter.EndDate?.getTime() ?? Infinity;
    const matching = this.#items.filter(
      (item) =>
        (filter.AlarmName === undefined || item.AlarmName === filter.AlarmName) &&
        types.includes(item.AlarmType) &&
        (filter.HistoryItemType === undefined || item.HistoryItemType === filter.HistoryItemType) &&
        item.Timestamp.getTime() >= oldestMs &&
        item.Timestamp.getTime() <= newestMs,
    );
    const ascending = filter.ScanBy === "TimestampAscending";
    const ordered = ascending ? matching : matching.reverse();
    const { page, nextToken } = paginate(ordered, {
      maxResults: maxRecords,
      nextToken: filter.NextToken,
      growsAt: ascending ? "end" : "start",
      invalidToken: invalidNextToken,
    });
    const AlarmHistoryItems = page.map((item) => ({ ...item, Timestamp: new Date(item.Timestamp) }));
    return nextToken === undefined ? { AlarmHistoryItems } : { AlarmHistoryItems, NextToken: nextToken };
  }

  #record(nowMs: number, item: AlarmHistoryItem): void {
    this.#items.push(item);
    const cutoffMs = nowMs - HISTORY_RETENTION_MS;
    const expired = this.#items.findIndex((entry) => entry.Timestamp.getTime() >= cutoffMs);
    if (expired > 0) this.#items = this.#items.slice(expired);
  }
}
