import type { StateType } from "./types.ts";

/**
 * History events and billed state transitions, counted the way a Standard workflow writes them.
 * Event types: https://docs.aws.amazon.com/step-functions/latest/apireference/API_HistoryEvent.html
 * (HistoryEventType); pricing: https://aws.amazon.com/step-functions/pricing/ ("Step Functions
 * counts a state transition each time a step of your workflow is executed ... including retries").
 *
 *   execution        ExecutionStarted ... ExecutionSucceeded | ExecutionFailed | ExecutionAborted | ExecutionTimedOut
 *   Pass/Wait/Choice/Succeed   <Type>StateEntered, <Type>StateExited                       (2)
 *   Fail             FailStateEntered (then ExecutionFailed; there is no FailStateExited)  (1)
 *   Task             TaskStateEntered, then per attempt Scheduled, Started, Succeeded|Failed|TimedOut,
 *                    then TaskStateExited when it succeeds or is caught (an uncaught failure ends the
 *                    execution without it). The attempt events are LambdaFunctionScheduled/Started/...
 *                    for a Lambda ARN Resource and TaskScheduled/Started/... for service integrations
 *                    (lambda:invoke, startExecution); `.sync` integrations add TaskSubmitted after
 *                    TaskStarted. 1 + 3 per attempt (+1 per .sync attempt) + 1 on exit.
 *   Parallel         ParallelStateEntered, ParallelStateStarted, the branches' own state events,
 *                    ParallelStateSucceeded|Failed, ParallelStateExited (on success or catch)
 *   Map (inline)     MapStateEntered, MapStateStarted, per item MapIterationStarted, its states' events,
 *                    MapIterationSucceeded|Failed, then MapStateSucceeded|Failed, MapStateExited
 *   transitions      +1 per state entered (nested ones included), +1 per retry attempt
 * A child execution (startExecution) has its own history; the parent only writes its Task events.
 *
 * The cap, as AWS applies it: "AWS Step Functions has a hard quota of 25,000 entries in the
 * execution event history. When an execution reaches 24,999 events, it waits for the next event
 * to happen. If the event number 25,000 is ExecutionSucceeded, the execution finishes
 * successfully. If the event number 25,000 isn't ExecutionSucceeded, the ExecutionFailed event is
 * logged and the state machine execution fails because of reaching the history limit" (Step
 * Functions developer guide, "Avoid reaching the history quota",
 * https://docs.aws.amazon.com/step-functions/latest/dg/bp-history-limit.html). The guide names
 * no error for that failure: it is reported as States.Runtime, the error no Catch can take.
 */
export const HISTORY_EVENT_LIMIT = 25_000;

export const HISTORY_LIMIT_ERROR = "States.Runtime";
export const historyLimitCause = (limit: number): string =>
  `The execution reached the maximum number of history events (${limit}).`;

/** One history event as recorded: its type, when, and the details GetExecutionHistory shows for it. */
export interface HistoryEntry {
  readonly type: string;
  readonly timeMs: number;
  /** e.g. `{ name, input }` for StateEntered, `{ error, cause }` for ExecutionFailed. */
  readonly details?: Readonly<Record<string, unknown>>;
}

/** Per-execution counters and events. Reaching the limit calls `onLimit` once and stops recording. */
export class HistoryAccount {
  readonly #limit: number;
  readonly #onLimit: () => void;
  readonly #nowMs: () => number;
  readonly #entries: HistoryEntry[] = [];
  #transitions = 0;
  #limitReached = false;

  constructor(limit: number, onLimit: () => void, nowMs: () => number = () => 0) {
    this.#limit = limit;
    this.#onLimit = onLimit;
    this.#nowMs = nowMs;
  }

  get historyEvents(): number {
    return this.#entries.length;
  }

  get entries(): readonly HistoryEntry[] {
    return this.#entries;
  }

  get stateTransitions(): number {
    return this.#transitions;
  }

  get eventTypes(): readonly string[] {
    return this.#entries.map((entry) => entry.type);
  }

  /** Events before the outcome: the last slot is kept for it, so event `limit` is never one of these. */
  record(...eventTypes: string[]): void {
    for (const type of eventTypes) this.recordWith(type);
  }

  recordWith(type: string, details?: Readonly<Record<string, unknown>>): void {
    if (this.#limitReached) return;
    if (this.#entries.length >= this.#limit - 1) {
      this.#limitReached = true;
      this.#onLimit();
      return;
    }
    this.#entries.push({ type, timeMs: this.#nowMs(), ...(details === undefined ? {} : { details }) });
  }

  /**
   * Writes the outcome event and says whether the history limit decided the outcome instead
   * (then ExecutionFailed is written): the limit was reached, or the outcome would be the last
   * event the history can hold and is not ExecutionSucceeded.
   */
  recordFinal(eventType: string, details: (overflow: boolean) => Readonly<Record<string, unknown>> = () => ({})): boolean {
    const atLastSlot = this.#entries.length >= this.#limit - 1;
    const overflow = this.#limitReached || (atLastSlot && eventType !== "ExecutionSucceeded");
    this.#entries.push({ type: overflow ? "ExecutionFailed" : eventType, timeMs: this.#nowMs(), details: details(overflow) });
    return overflow;
  }

  stateEntered(type: StateType, name = "", input?: unknown): void {
    this.#transitions += 1;
    this.recordWith(`${type}StateEntered`, { name, input: JSON.stringify(input ?? null) });
    if (type === "Map" || type === "Parallel") this.record(`${type}StateStarted`);
  }

  /** `caught`: the state failed and a Catch sent it on (its Failed event is already written). */
  stateExited(type: StateType, caught: boolean, name = "", output?: unknown): void {
    if ((type === "Map" || type === "Parallel") && !caught) this.record(`${type}StateSucceeded`);
    if (type !== "Fail") this.recordWith(`${type}StateExited`, { name, output: JSON.stringify(output ?? null) });
  }

  /** A Map or Parallel state failed (its Tasks' failures are written by the attempts themselves). */
  stateFailed(type: StateType): void {
    if (type === "Map" || type === "Parallel") this.record(`${type}StateFailed`);
  }

  retried(): void {
    this.#transitions += 1;
  }
}
