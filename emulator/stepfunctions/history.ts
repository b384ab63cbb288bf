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
 * AWS fails an execution whose history would exceed 25,000 events: the runner does the same.
 */
export const HISTORY_EVENT_LIMIT = 25_000;

export const HISTORY_LIMIT_ERROR = "States.Runtime";
export const historyLimitCause = (limit: number): string =>
  `The execution reached the maximum number of history events (${limit}).`;

/** Per-execution counters. Reaching the limit calls `onLimit` once and stops recording. */
export class HistoryAccount {
  readonly #limit: number;
  readonly #onLimit: () => void;
  readonly #types: string[] = [];
  #transitions = 0;
  #limitReached = false;

  constructor(limit: number, onLimit: () => void) {
    this.#limit = limit;
    this.#onLimit = onLimit;
  }

  get historyEvents(): number {
    return this.#types.length;
  }

  get stateTransitions(): number {
    return this.#transitions;
  }

  get eventTypes(): readonly string[] {
    return this.#types;
  }

  record(...eventTypes: string[]): void {
    for (const type of eventTypes) {
      if (this.#types.length >= this.#limit) {
        if (!this.#limitReached) {
          this.#limitReached = true;
          this.#onLimit();
        }
        return;
      }
      this.#types.push(type);
    }
  }

  /** The outcome event is always the last one, even at the limit (it then replaces the last event). */
  recordFinal(eventType: string): void {
    if (this.#types.length >= this.#limit) this.#types[this.#types.length - 1] = eventType;
    else this.#types.push(eventType);
  }

  stateEntered(type: StateType): void {
    this.#transitions += 1;
    this.record(`${type}StateEntered`);
    if (type === "Map" || type === "Parallel") this.record(`${type}StateStarted`);
  }

  /** `caught`: the state failed and a Catch sent it on (its Failed event is already written). */
  stateExited(type: StateType, caught: boolean): void {
    if ((type === "Map" || type === "Parallel") && !caught) this.record(`${type}StateSucceeded`);
    if (type !== "Fail") this.record(`${type}StateExited`);
  }

  /** A Map or Parallel state failed (its Tasks' failures are written by the attempts themselves). */
  stateFailed(type: StateType): void {
    if (type === "Map" || type === "Parallel") this.record(`${type}StateFailed`);
  }

  retried(): void {
    this.#transitions += 1;
  }
}
