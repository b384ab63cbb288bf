import { ExecutionError, StateMachine, type StateMachineDefinition } from "aws-local-stepfunctions";
import type { AwsLocation } from "../../infra/arns.ts";
import "./polyfill.ts";
import type { ChildStarter } from "./child.ts";
import { TaskFailure } from "./errors.ts";
import { HISTORY_LIMIT_ERROR, HistoryAccount, historyLimitCause, type HistoryEntry } from "./history.ts";
import type { LambdaService } from "./lambda-invoke.ts";
import { dataLimitExceeded, exceedsPayloadLimit } from "./payload.ts";
import { type PreparedMachine, VIRTUAL_EXECUTION_KEY } from "./prepare.ts";
import { runTask, type TaskRuntime } from "./tasks.ts";
import type { VirtualTimeline } from "./timeline.ts";
import type { ExecutionStatus, ExecutionSummary, JsonValue, StateEventPhase, StateType, StepFunctionsEvent, TaskHandlers } from "./types.ts";
import { runWait } from "./wait.ts";

export interface ExecutionSetup {
  readonly executionArn: string;
  readonly name: string;
  readonly stateMachineName: string;
  readonly stateMachineArn: string;
  readonly roleArn: string;
  readonly parentArn: string | undefined;
  readonly prepared: PreparedMachine;
  readonly handlers: TaskHandlers;
  readonly input: JsonValue;
  readonly scope: AwsLocation;
  readonly timeline: VirtualTimeline;
  readonly taskLatencyMs: number;
  readonly historyEventLimit: number;
  readonly lambda: LambdaService;
  readonly random: () => number;
  readonly nextRequestId: () => string;
  readonly startChild: (parent: Execution) => ChildStarter;
  readonly emit: (event: StepFunctionsEvent) => void;
  /** Told on start and on the outcome, with the summary as it is then (the EventBridge status change). */
  readonly statusChanged: (summary: ExecutionSummary) => void;
}

type EventLog = ReturnType<StateMachine["run"]>["eventLogs"] extends AsyncGenerator<infer E> ? E : never;

type Outcome = { readonly status: Exclude<ExecutionStatus, "RUNNING">; readonly error?: string; readonly cause?: string };

/** One local execution: the package runs the states, this class owns time, tasks and accounting. */
export class Execution {
  readonly setup: ExecutionSetup;
  readonly startMs: number;
  readonly children: Execution[] = [];
  readonly done: Promise<ExecutionSummary>;
  readonly #abort = new AbortController();
  readonly #account: HistoryAccount;
  #status: ExecutionStatus = "RUNNING";
  #output: unknown = undefined;
  #error: string | undefined;
  #cause: string | undefined;
  #stopMs: number | undefined;
  #forcedOutcome: Outcome | undefined;
  #forcedAtMs: number | undefined;

  constructor(setup: ExecutionSetup) {
    this.setup = setup;
    this.startMs = setup.timeline.clock.nowMs;
    this.#account = new HistoryAccount(setup.historyEventLimit, () => this.#force(this.#historyLimitOutcome()), () => setup.timeline.clock.nowMs);
    this.done = this.#run();
  }

  get executionArn(): string {
    return this.setup.executionArn;
  }

  /** StopExecution: ends the execution as ABORTED (no-op once it has finished). */
  stop(error: string | undefined, cause: string | undefined): void {
    this.#force({ status: "ABORTED", error, cause });
  }

  /** The events recorded so far, oldest first (GetExecutionHistory). */
  history(): readonly HistoryEntry[] {
    return this.#account.entries;
  }

  summary(): ExecutionSummary {
    const { executionArn, name, stateMachineName, stateMachineArn, parentArn, input } = this.setup;
    return {
      executionArn, name, stateMachineName, stateMachineArn, parentArn, input,
      // A stop, timeout or history overflow is final at once, even before the run has unwound.
      status: this.#status === "RUNNING" ? this.#forcedOutcome?.status ?? "RUNNING" : this.#status,
      output: this.#output, error: this.#error ?? this.#forcedOutcome?.error, cause: this.#cause ?? this.#forcedOutcome?.cause,
      stateTransitions: this.#account.stateTransitions, historyEvents: this.#account.historyEvents,
      historyEventTypes: [...this.#account.eventTypes], startMs: this.startMs, stopMs: this.#stopMs ?? this.#forcedAtMs,
    };
  }

  #historyLimitOutcome(): Outcome {
    return { status: "FAILED", error: HISTORY_LIMIT_ERROR, cause: historyLimitCause(this.setup.historyEventLimit) };
  }

  #force(outcome: Outcome): void {
    if (this.#status !== "RUNNING" || this.#forcedOutcome !== undefined) return;
    this.#forcedOutcome = outcome;
    this.#forcedAtMs = this.setup.timeline.clock.nowMs;
    this.#abort.abort(new TaskFailure(outcome.error ?? "States.Aborted", outcome.cause ?? ""));
  }

  #context(): Record<string, unknown> {
    const { executionArn, name, input, roleArn, stateMachineArn, stateMachineName } = this.setup;
    const startTime = new Date(this.startMs).toISOString();
    return {
      [VIRTUAL_EXECUTION_KEY]: { Id: executionArn, Input: input, Name: name, RoleArn: roleArn, StartTime: startTime, RedriveCount: 0 },
      StateMachine: { Id: stateMachineArn, Name: stateMachineName },
    };
  }

  #overrides(runtime: TaskRuntime): Record<string, (input: JsonValue) => Promise<JsonValue>> {
    const handlers: Record<string, (input: JsonValue) => Promise<JsonValue>> = {};
    for (const [name, spec] of this.setup.prepared.tasks) handlers[name] = (input) => runTask(spec, input, runtime);
    for (const [name, spec] of this.setup.prepared.waits) handlers[name] = (input) => runWait(spec, input, runtime);
    return handlers;
  }

  async #run(): Promise<ExecutionSummary> {
    const { setup } = this;
    const participant = setup.timeline.join();
    const runtime: TaskRuntime = {
      scope: setup.scope, handlers: setup.handlers, timeline: setup.timeline, participant, signal: this.#abort.signal,
      account: this.#account, taskLatencyMs: setup.taskLatencyMs, random: setup.random, nextRequestId: setup.nextRequestId, lambda: setup.lambda,
      startChild: setup.startChild(this),
      onRetry: (stateName, error, delaySeconds) => this.#emitState(stateName, "retried", { error: error.name, cause: error.message, output: { delaySeconds } }),
    };
    this.#account.recordWith("ExecutionStarted", { input: JSON.stringify(setup.input), roleArn: setup.roleArn });
    setup.emit({ kind: "execution", executionArn: setup.executionArn, stateMachineName: setup.stateMachineName, parentArn: setup.parentArn, status: "RUNNING", timeMs: this.startMs });
    setup.statusChanged(this.summary());
    const deadline = this.#startDeadline();
    const machine = new StateMachine(setup.prepared.runnable as unknown as StateMachineDefinition, { validationOptions: { noValidate: true } });
    const run = machine.run(setup.input, { overrides: { taskResourceLocalHandlers: this.#overrides(runtime) }, context: this.#context() });
    this.#abort.signal.addEventListener("abort", () => run.abort(), { once: true });
    const consumed = this.#consume(run.eventLogs);
    let ran: Outcome;
    try {
      this.#output = await run.result;
      ran = { status: "SUCCEEDED" };
    } catch (thrown) {
      const reason = thrown instanceof ExecutionError && thrown.cause instanceof Error ? thrown.cause : thrown;
      ran = { status: "FAILED", error: reason instanceof Error ? reason.name : "States.Runtime", cause: reason instanceof Error ? reason.message : String(reason) };
    }
    // The consumer may still force an outcome (history limit, an oversized state output) from events the run already wrote.
    await consumed;
    const outcome = this.#forcedOutcome ?? ran;
    deadline?.abort();
    for (const child of this.children) child.stop("States.Aborted", `parent execution ${outcome.status}`);
    this.#finish(outcome);
    setup.timeline.leave(participant);
    return this.summary();
  }

  /** TimeoutSeconds of the state machine, on virtual time. */
  #startDeadline(): AbortController | undefined {
    const { timeoutSeconds } = this.setup.prepared;
    if (timeoutSeconds === undefined) return undefined;
    const timer = new AbortController();
    const sleeper = this.setup.timeline.join();
    this.setup.timeline.sleepUntil(sleeper, this.startMs + timeoutSeconds * 1000, timer.signal).then(
      () => this.#force({ status: "TIMED_OUT", error: "States.Timeout", cause: `execution exceeded TimeoutSeconds (${timeoutSeconds})` }),
      () => undefined,
    ).finally(() => this.setup.timeline.leave(sleeper));
    return timer;
  }

  #finish(ran: Outcome): void {
    const finalEvent = { SUCCEEDED: "ExecutionSucceeded", FAILED: "ExecutionFailed", ABORTED: "ExecutionAborted", TIMED_OUT: "ExecutionTimedOut" }[ran.status];
    const outcome = this.#account.recordFinal(finalEvent, (overflow) => {
      const ended = overflow ? this.#historyLimitOutcome() : ran;
      if (ended.status === "SUCCEEDED") return { output: JSON.stringify(this.#output ?? null) };
      return { ...(ended.error === undefined ? {} : { error: ended.error }), ...(ended.cause === undefined ? {} : { cause: ended.cause }) };
    }) ? this.#historyLimitOutcome() : ran;
    this.#status = outcome.status;
    this.#error = outcome.error;
    this.#cause = outcome.cause;
    if (outcome.status !== "SUCCEEDED") this.#output = undefined;
    this.#stopMs = this.#forcedAtMs ?? this.setup.timeline.clock.nowMs;
    const { executionArn, stateMachineName, parentArn } = this.setup;
    this.setup.emit({ kind: "execution", executionArn, stateMachineName, parentArn, status: outcome.status, timeMs: this.#stopMs, output: this.#output, error: outcome.error, cause: outcome.cause });
    this.setup.statusChanged(this.summary());
  }

  #emitState(stateName: string, phase: StateEventPhase, details: { input?: unknown; output?: unknown; error?: string; cause?: string }): void {
    const stateType = this.setup.prepared.stateTypes.get(stateName) ?? "Task";
    this.setup.emit({ kind: "state", executionArn: this.executionArn, stateName, stateType, phase, timeMs: this.setup.timeline.clock.nowMs, input: details.input, ...details });
  }

  /** Turns the package's event log into AWS history events and `onEvent` notifications. */
  async #consume(events: AsyncGenerator<EventLog>): Promise<void> {
    const caught = new Map<string, number>();
    const typeOf = (name: string, fallback: StateType): StateType => this.setup.prepared.stateTypes.get(name) ?? fallback;
    for await (const event of events) {
      // Once the outcome is decided AWS writes nothing more but the outcome event.
      if (this.#status !== "RUNNING" || this.#forcedOutcome !== undefined) return;
      switch (event.type) {
        case "StateEntered":
          this.#account.stateEntered(typeOf(event.state.name, event.state.type), event.state.name, event.state.input);
          this.#emitState(event.state.name, "entered", { input: event.state.input });
          break;
        case "StateExited": {
          // "States.DataLimitExceeded ... the output of a state is larger than payload size quota" (after ResultSelector, ResultPath, OutputPath).
          if (exceedsPayloadLimit(event.state.output)) {
            const failure = dataLimitExceeded(event.state.name, "returned a result");
            this.#force({ status: "FAILED", error: failure.name, cause: failure.message });
            return;
          }
          const wasCaught = (caught.get(event.state.name) ?? 0) > 0;
          if (wasCaught) caught.set(event.state.name, (caught.get(event.state.name) ?? 1) - 1);
          this.#account.stateExited(typeOf(event.state.name, event.state.type), wasCaught, event.state.name, event.state.output);
          this.#emitState(event.state.name, "exited", { input: event.state.input, output: event.state.output });
          break;
        }
        case "StateFailed":
          this.#account.stateFailed(typeOf(event.state.name, event.state.type));
          this.#emitState(event.state.name, "failed", { input: event.state.input, error: event.Error, cause: String(event.Cause) });
          break;
        case "StateCaught":
          caught.set(event.state.name, (caught.get(event.state.name) ?? 0) + 1);
          this.#emitState(event.state.name, "caught", { input: event.state.input });
          break;
        case "MapIterationStarted":
        case "MapIterationSucceeded":
        case "MapIterationFailed":
          this.#account.record(event.type);
          break;
        default:
          break;
      }
    }
  }
}
