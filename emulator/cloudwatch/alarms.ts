import { arn, nameHash } from "../ec2/ids.ts";
import type { CloudWatchWorld } from "./ports.ts";
import { evaluateAlarm, evaluationRange, type PeriodValue } from "./alarm-evaluation.ts";
import type { AlarmActionRouter } from "./alarm-action-router.ts";
import { AlarmHistory } from "./alarm-history.ts";
import { alarmTimestamp, describeVerdict } from "./alarm-reason.ts";
import type { AlarmFilter, AlarmHistoryFilter, AlarmHistoryItem, AlarmStateChangeDetail, MetricAlarm, MetricAlarmInput } from "./alarm-types.ts";
import { validateAlarmInput, validMaxRecords } from "./alarm-validation.ts";
import { paginate } from "../protocol/pagination.ts";
import { invalidFormat, invalidNextToken, invalidParameterCombination, invalidParameterValue, limitExceeded, resourceNotFound } from "./errors.ts";
import type { MetricStore } from "./metric-store.ts";
import { isBasicStatistic, statisticValue } from "./statistics.ts";
import type { AlarmStateValue, Statistic } from "./types.ts";

/** A stable UUID-shaped id for the alarm's single metric (AWS generates one; the emulator must be deterministic). */
const metricQueryId = (alarmName: string): string => `${nameHash(alarmName, 8)}-0000-4000-b000-000000000000`;

/** CloudWatch's per-region quota of metric alarms. */
const MAX_ALARMS = 10_000;

/**
 * Metric alarms: stored as DescribeAlarms shows them, evaluated on the virtual clock (every
 * 10 s for high-resolution periods, every minute otherwise) over periods that end at the
 * evaluation time, and announced on the event bus as "CloudWatch Alarm State Change".
 */
export class AlarmStore {
  readonly #world: CloudWatchWorld;
  readonly #metrics: MetricStore;
  readonly #alarms = new Map<string, MetricAlarm>();
  readonly #history = new AlarmHistory();
  readonly #actions: AlarmActionRouter;
  /** When each alarm last invoked its Auto Scaling actions (at most once a minute). */
  readonly #lastInvokedMs = new Map<string, number>();

  constructor(world: CloudWatchWorld, metrics: MetricStore, actions: AlarmActionRouter) {
    this.#world = world;
    this.#metrics = metrics;
    this.#actions = actions;
  }

  get(name: string): Readonly<MetricAlarm> | undefined {
    return this.#alarms.get(name);
  }

  /** Creates an alarm (INSUFFICIENT_DATA) or overwrites an existing one's configuration, keeping its state. */
  put(input: MetricAlarmInput): void {
    validateAlarmInput(input);
    const existing = this.#alarms.get(input.AlarmName);
    if (!existing && this.#alarms.size >= MAX_ALARMS) {
      throw limitExceeded(`The maximum number of alarms (${MAX_ALARMS}) for this account and region has been reached.`);
    }
    const now = this.#world.clock.now();
    const { accountId, region } = this.#world;
    const alarm: MetricAlarm = {
      AlarmName: input.AlarmName,
      AlarmArn: arn("cloudwatch", region, accountId, `alarm:${input.AlarmName}`),
      AlarmConfigurationUpdatedTimestamp: now,
      ActionsEnabled: input.ActionsEnabled ?? true,
      OKActions: [...(input.OKActions ?? [])],
      AlarmActions: [...(input.AlarmActions ?? [])],
      InsufficientDataActions: [...(input.InsufficientDataActions ?? [])],
      StateValue: existing?.StateValue ?? "INSUFFICIENT_DATA",
      StateReason: existing?.StateReason ?? "Unchecked: Initial alarm creation",
      StateUpdatedTimestamp: existing?.StateUpdatedTimestamp ?? now,
      StateTransitionedTimestamp: existing?.StateTransitionedTimestamp ?? now,
      MetricName: input.MetricName,
      Namespace: input.Namespace,
      Dimensions: [...(input.Dimensions ?? [])],
      Period: input.Period,
      EvaluationPeriods: input.EvaluationPeriods,
      DatapointsToAlarm: input.DatapointsToAlarm ?? input.EvaluationPeriods,
      Threshold: input.Threshold,
      ComparisonOperator: input.ComparisonOperator,
      TreatMissingData: input.TreatMissingData ?? "missing",
    };
    if (existing?.StateReasonData !== undefined) alarm.StateReasonData = existing.StateReasonData;
    if (input.AlarmDescription !== undefined) alarm.AlarmDescription = input.AlarmDescription;
    if (input.Statistic !== undefined) alarm.Statistic = input.Statistic;
    if (input.ExtendedStatistic !== undefined) alarm.ExtendedStatistic = input.ExtendedStatistic;
    if (input.Unit !== undefined) alarm.Unit = input.Unit;
    this.#alarms.set(alarm.AlarmName, alarm);
    this.#history.recordConfigurationUpdate(existing ? "Update" : "Create", alarm, existing, now.getTime());
  }

  describe(filter: AlarmFilter): { MetricAlarms: MetricAlarm[]; NextToken?: string } {
    if (filter.AlarmNames !== undefined && filter.AlarmNamePrefix !== undefined) {
      throw invalidParameterCombination("AlarmNames and AlarmNamePrefix cannot be specified together.");
    }
    if ((filter.AlarmNames?.length ?? 0) > 100) throw invalidParameterValue("The collection AlarmNames must not have more than 100 elements.");
    const maxRecords = validMaxRecords(filter.MaxRecords, 50);
    const names = filter.AlarmNames === undefined ? undefined : new Set(filter.AlarmNames);
    const matching = [...this.#alarms.values()]
      .filter((alarm) => names === undefined || names.has(alarm.AlarmName))
      .filter((alarm) => filter.AlarmNamePrefix === undefined || alarm.AlarmName.startsWith(filter.AlarmNamePrefix))
      .filter((alarm) => filter.StateValue === undefined || alarm.StateValue === filter.StateValue)
      .filter((alarm) => filter.ActionPrefix === undefined || alarm.AlarmActions.some((action) => action.startsWith(filter.ActionPrefix ?? "")))
      .sort((left, right) => (left.AlarmName < right.AlarmName ? -1 : 1));
    const { page, nextToken } = paginate(matching, { maxResults: maxRecords, nextToken: filter.NextToken, growsAt: "end", invalidToken: invalidNextToken });
    const MetricAlarms = page.map((alarm) => structuredClone(alarm));
    return nextToken === undefined ? { MetricAlarms } : { MetricAlarms, NextToken: nextToken };
  }

  /** DescribeAlarmHistory: history outlives the alarm, so unknown names just match nothing. */
  history(filter: AlarmHistoryFilter): { AlarmHistoryItems: AlarmHistoryItem[]; NextToken?: string } {
    return this.#history.describe(filter, this.#world.clock.nowMs);
  }

  /** Forces a state until the next evaluation decides otherwise (SetAlarmState). */
  setState(name: string, state: AlarmStateValue, reason: string, reasonData?: string): void {
    const alarm = this.#alarms.get(name);
    if (!alarm) throw resourceNotFound(`Alarm ${name} not found`);
    if (reasonData !== undefined) {
      try {
        JSON.parse(reasonData);
      } catch {
        throw invalidFormat("Invalid JSON in parameter StateReasonData.");
      }
    }
    this.#transition(alarm, state, reason, reasonData);
    this.#invokeActions(alarm, true, undefined);
  }

  /** Deletes alarms; if any name is unknown nothing is deleted. */
  delete(names: readonly string[]): void {
    if (names.length > 100) throw invalidParameterValue("The collection AlarmNames must not have more than 100 elements.");
    const unknown = names.filter((name) => !this.#alarms.has(name));
    if (unknown.length > 0) throw resourceNotFound(`Alarms not found: ${unknown.join(", ")}`);
    for (const name of names) {
      const alarm = this.#alarms.get(name);
      if (alarm) this.#history.recordConfigurationUpdate("Delete", alarm, undefined, this.#world.clock.nowMs);
      this.#alarms.delete(name);
      this.#lastInvokedMs.delete(name);
    }
  }

  step(nowMs: number): void {
    for (const alarm of this.#alarms.values()) {
      const cadenceMs = Math.min(alarm.Period, 60) * 1000;
      if (nowMs % cadenceMs === 0) this.#evaluate(alarm, nowMs);
    }
  }

  #evaluate(alarm: MetricAlarm, nowMs: number): void {
    const rule = {
      threshold: alarm.Threshold,
      comparisonOperator: alarm.ComparisonOperator,
      evaluationPeriods: alarm.EvaluationPeriods,
      datapointsToAlarm: alarm.DatapointsToAlarm,
      // PutMetricAlarm's reference: alarms on AWS/DynamoDB metrics always ignore missing data, whatever TreatMissingData says.
      treatMissingData: alarm.Namespace === "AWS/DynamoDB" ? "ignore" : alarm.TreatMissingData,
    } as const;
    const count = evaluationRange(rule);
    const periodMs = alarm.Period * 1000;
    const startMs = nowMs - count * periodMs;
    const statistic = (alarm.Statistic ?? alarm.ExtendedStatistic ?? "Average") as Statistic;
    const series = this.#metrics.find({ Namespace: alarm.Namespace, MetricName: alarm.MetricName, Dimensions: alarm.Dimensions });
    const datapoints = series?.aggregate({ startMs, endMs: nowMs, periodMs, unit: alarm.Unit, withValues: !isBasicStatistic(statistic) }) ?? [];
    const byStart = new Map(datapoints.map((datapoint) => [datapoint.timestampMs, statisticValue(datapoint, statistic)]));
    const periods: PeriodValue[] = [];
    for (let index = 0; index < count; index++) {
      const timestampMs = startMs + index * periodMs;
      periods.push({ timestampMs, value: byStart.get(timestampMs) });
    }
    const verdict = evaluateAlarm(rule, periods);
    const newestValue = verdict.evaluated.find((period) => period.value !== undefined)?.value;
    if (verdict.state === undefined || verdict.state === alarm.StateValue) {
      this.#invokeActions(alarm, false, newestValue);
      return;
    }
    const { reason, reasonData } = describeVerdict(alarm, verdict, verdict.state, nowMs, startMs);
    this.#transition(alarm, verdict.state, reason, reasonData);
    this.#invokeActions(alarm, true, newestValue);
  }

  /** The actions of the alarm's current state, if enabled; a repeat at most once a minute. */
  #invokeActions(alarm: MetricAlarm, changed: boolean, newestValue: number | undefined): void {
    if (!alarm.ActionsEnabled) return;
    const nowMs = this.#world.clock.nowMs;
    const last = this.#lastInvokedMs.get(alarm.AlarmName);
    if (!changed && last !== undefined && nowMs - last < 60_000) return;
    const actions = alarm.StateValue === "ALARM" ? alarm.AlarmActions : alarm.StateValue === "OK" ? alarm.OKActions : alarm.InsufficientDataActions;
    if (actions.length === 0) return;
    this.#lastInvokedMs.set(alarm.AlarmName, nowMs);
    this.#actions.invoke(actions, changed, {
      alarmName: alarm.AlarmName,
      state: alarm.StateValue,
      threshold: alarm.Threshold,
      comparisonOperator: alarm.ComparisonOperator,
      newestValue,
      nowMs,
    });
  }

  #transition(alarm: MetricAlarm, state: AlarmStateValue, reason: string, reasonData: string | undefined): void {
    const nowMs = this.#world.clock.nowMs;
    const previous = {
      value: alarm.StateValue,
      reason: alarm.StateReason,
      ...(alarm.StateReasonData === undefined ? {} : { reasonData: alarm.StateReasonData }),
      timestamp: alarmTimestamp(alarm.StateUpdatedTimestamp.getTime()),
    };
    const changed = state !== alarm.StateValue;
    alarm.StateValue = state;
    alarm.StateReason = reason;
    if (reasonData === undefined) delete alarm.StateReasonData;
    else alarm.StateReasonData = reasonData;
    alarm.StateUpdatedTimestamp = new Date(nowMs);
    if (!changed) return;
    alarm.StateTransitionedTimestamp = new Date(nowMs);
    this.#history.recordStateUpdate(alarm.AlarmName, previous, { value: state, reason, reasonData }, nowMs);
    const detail: AlarmStateChangeDetail = {
      alarmName: alarm.AlarmName,
      state: { value: state, reason, ...(reasonData === undefined ? {} : { reasonData }), timestamp: alarmTimestamp(nowMs) },
      previousState: previous,
      configuration: {
        ...(alarm.AlarmDescription === undefined ? {} : { description: alarm.AlarmDescription }),
        metrics: [
          {
            id: metricQueryId(alarm.AlarmName),
            metricStat: {
              metric: { namespace: alarm.Namespace, name: alarm.MetricName, dimensions: Object.fromEntries(alarm.Dimensions.map((d) => [d.Name, d.Value])) },
              period: alarm.Period,
              stat: alarm.Statistic ?? alarm.ExtendedStatistic ?? "Average",
            },
            returnData: true,
          },
        ],
      },
    };
    this.#world.events.publish({ source: "aws.cloudwatch", "detail-type": "CloudWatch Alarm State Change", resources: [alarm.AlarmArn], detail });
  }
}
