import type { ChildStarter } from "./child.ts";
import {
  ExecutionAlreadyExistsError, ExecutionInputTooLargeError, ExecutionNotFoundError, StateMachineAlreadyExistsError, StateMachineNotFoundError,
} from "./errors.ts";
import { Execution } from "./execution.ts";
import { HISTORY_EVENT_LIMIT } from "./history.ts";
import { type AwsLocation, executionArn, stateMachineArn } from "../../infra/arns.ts";
import { LAMBDA_DEFAULT_SETTINGS, type LambdaFunctionSettings } from "./lambda-context.ts";
import type { LambdaFaultKind, LambdaService } from "./lambda-invoke.ts";
import { isValidResourceName, stateMachineKeys } from "./naming.ts";
import { exceedsPayloadLimit, PAYLOAD_LIMIT_BYTES, wireJson } from "./payload.ts";
import { type PreparedMachine, prepareDefinition } from "./prepare.ts";
import { executionStatusChange, type ExecutionStatusChangeListener } from "./status-change.ts";
import { timelineOf, type VirtualTimeline } from "./timeline.ts";
import type { AslDefinition, ExecutionSummary, RunResult, StepFunctionsEventListener, TaskHandlers, VirtualClockLike } from "./types.ts";

export interface LocalStepFunctionsOptions {
  readonly clock: VirtualClockLike;
  /** Handlers shared by every state machine (a machine's own handlers take precedence). */
  readonly handlers?: TaskHandlers;
  readonly region?: string;
  readonly accountId?: string;
  /** Virtual time added before every Task attempt (Lambda + Step Functions overhead). Default 0. */
  readonly taskLatencyMs?: number;
  /** Uniform [0, 1) source for FULL retry jitter (use world.rng.next). Default: no jitter randomness (0.5). */
  readonly random?: () => number;
  readonly historyEventLimit?: number;
  /** Each function's timeout and memory as deployed (infra); others get Lambda's defaults (3 s, 128 MB). */
  readonly functions?: Readonly<Record<string, LambdaFunctionSettings>>;
  /** Asked at every invocation: a Lambda fault to inject (the function times out or runs out of memory). */
  readonly lambdaFault?: (functionName: string) => LambdaFaultKind | undefined;
  /** Request ids for Lambda contexts (use world.nextRequestId). */
  readonly nextRequestId?: () => string;
  readonly onEvent?: StepFunctionsEventListener;
  /** Receives the EventBridge event AWS sends when an execution starts or ends (publish it on a bus). */
  readonly onExecutionStatusChange?: ExecutionStatusChangeListener;
}

export interface LocalStateMachine {
  readonly name: string;
  readonly definition: AslDefinition;
  readonly handlers?: TaskHandlers;
  readonly roleArn?: string;
}

export interface RegisteredStateMachine {
  readonly name: string;
  readonly arn: string;
  readonly roleArn: string;
  readonly definition: AslDefinition;
  readonly handlers: TaskHandlers;
  readonly prepared: PreparedMachine;
  readonly creationMs: number;
}

export interface StartOptions {
  readonly name?: string;
  readonly parent?: Execution;
}

const uuidFromSequence = (sequence: number, tag: string): string =>
  `${tag}0000-0000-4000-8000-${sequence.toString(16).padStart(12, "0")}`;

/**
 * The local Step Functions service: a registry of state machines and their executions, all on
 * one virtual clock. Executions run the real ASL through aws-local-stepfunctions.
 */
export class LocalStepFunctions {
  readonly scope: AwsLocation;
  readonly timeline: VirtualTimeline;
  readonly #options: LocalStepFunctionsOptions;
  readonly #machines = new Map<string, RegisteredStateMachine>();
  readonly #executions = new Map<string, Execution>();
  readonly #listeners = new Set<StepFunctionsEventListener>();
  readonly #lambda: LambdaService;
  #sequence = 0;

  constructor(options: LocalStepFunctionsOptions) {
    this.#options = options;
    this.scope = { region: options.region ?? "us-east-1", account: options.accountId ?? "123456789012" };
    this.timeline = timelineOf(options.clock);
    if (options.onEvent !== undefined) this.#listeners.add(options.onEvent);
    this.#lambda = {
      settings: (functionName) => options.functions?.[functionName] ?? LAMBDA_DEFAULT_SETTINGS,
      fault: (functionName) => options.lambdaFault?.(functionName),
    };
  }

  /** Validates, prepares and registers a state machine (throws UnsupportedDefinitionError listing every problem). */
  register(machine: LocalStateMachine): RegisteredStateMachine {
    if (!isValidResourceName(machine.name)) throw new Error(`Invalid Name: '${machine.name}'`);
    if (this.#machines.has(machine.name)) throw new StateMachineAlreadyExistsError(machine.name);
    const handlers = { ...this.#options.handlers, ...machine.handlers };
    const registered: RegisteredStateMachine = {
      name: machine.name,
      arn: stateMachineArn(this.scope, machine.name),
      roleArn: machine.roleArn ?? `arn:aws:iam::${this.scope.account}:role/ebb-local-states`,
      definition: machine.definition,
      handlers,
      prepared: prepareDefinition(machine.name, machine.definition, handlers),
      creationMs: this.#options.clock.nowMs,
    };
    this.#machines.set(machine.name, registered);
    return registered;
  }

  /** By ARN, name or `${Placeholder}` name. */
  stateMachine(reference: string): RegisteredStateMachine | undefined {
    const found = stateMachineKeys(reference).map((key) => this.#machines.get(key)).find((machine) => machine !== undefined);
    return found !== undefined && reference.startsWith("arn:") && reference !== found.arn ? undefined : found;
  }

  stateMachines(): readonly RegisteredStateMachine[] {
    return [...this.#machines.values()];
  }

  subscribe(listener: StepFunctionsEventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** StartExecution: returns at once; `execution.done` settles with the summary. */
  start(reference: string, input: unknown, options: StartOptions = {}): Execution {
    const machine = this.stateMachine(reference);
    if (machine === undefined) throw new StateMachineNotFoundError(reference);
    this.#sequence += 1;
    const name = options.name ?? uuidFromSequence(this.#sequence, "ebbe");
    if (!isValidResourceName(name)) throw new Error(`Invalid Name: '${name}'`);
    const arn = executionArn(this.scope, machine.name, name);
    if (this.#executions.has(arn)) throw new ExecutionAlreadyExistsError(arn);
    if (exceedsPayloadLimit(input)) throw new ExecutionInputTooLargeError(PAYLOAD_LIMIT_BYTES);
    const execution = new Execution({
      executionArn: arn, name, stateMachineName: machine.name, stateMachineArn: machine.arn, roleArn: machine.roleArn,
      parentArn: options.parent?.executionArn, prepared: machine.prepared, handlers: machine.handlers,
      input: wireJson(input), scope: this.scope, timeline: this.timeline,
      taskLatencyMs: this.#options.taskLatencyMs ?? 0,
      historyEventLimit: this.#options.historyEventLimit ?? HISTORY_EVENT_LIMIT, lambda: this.#lambda,
      random: this.#options.random ?? (() => 0.5),
      nextRequestId: this.#options.nextRequestId ?? (() => uuidFromSequence(++this.#sequence, "ebb1")),
      startChild: (parent) => this.#childStarter(parent),
      emit: (event) => {
        for (const listener of this.#listeners) listener(event);
      },
      statusChanged: (summary) => this.#options.onExecutionStatusChange?.(executionStatusChange(summary)),
    });
    this.#executions.set(arn, execution);
    options.parent?.children.push(execution);
    return execution;
  }

  /** Starts an execution and waits for it and its children; never rejects for execution failures. */
  async run(reference: string, input: unknown, options: StartOptions = {}): Promise<RunResult> {
    const execution = this.start(reference, input, options);
    const summary = await execution.done;
    const executions: ExecutionSummary[] = [];
    const collect = (node: Execution): void => {
      executions.push(node.summary());
      node.children.forEach(collect);
    };
    collect(execution);
    const status = summary.status === "RUNNING" ? "FAILED" : summary.status;
    return { status, output: summary.output, error: summary.error, cause: summary.cause, executions };
  }

  execution(arn: string): Execution {
    const execution = this.#executions.get(arn);
    if (execution === undefined) throw new ExecutionNotFoundError(arn);
    return execution;
  }

  executions(): readonly Execution[] {
    return [...this.#executions.values()];
  }

  #childStarter(parent: Execution): ChildStarter {
    return (request) => {
      const child = this.start(request.stateMachine, request.input, { name: request.name, parent });
      return {
        executionArn: child.executionArn,
        startMs: child.startMs,
        done: child.done,
        stop: (error, cause) => child.stop(error, cause),
      };
    };
  }
}

export interface RunStateMachineOptions extends LocalStepFunctionsOptions {
  readonly definition: AslDefinition;
  readonly input: unknown;
  readonly name?: string;
  readonly executionName?: string;
  /** Other machines its startExecution Tasks may start. */
  readonly stateMachines?: readonly LocalStateMachine[];
}

/** One-shot: registers the machine (and its children) on a fresh registry and runs it. */
export async function runStateMachine(options: RunStateMachineOptions): Promise<RunResult> {
  const stepFunctions = new LocalStepFunctions(options);
  for (const machine of options.stateMachines ?? []) stepFunctions.register(machine);
  const machine = stepFunctions.register({ name: options.name ?? "local", definition: options.definition });
  return stepFunctions.run(machine.arn, options.input, options.executionName === undefined ? {} : { name: options.executionName });
}
