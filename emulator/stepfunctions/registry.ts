import {
  type ExecutionStatusChangeEvent, LocalStepFunctions, type LocalStateMachine, type LocalStepFunctionsOptions, type RegisteredStateMachine,
} from "./index.ts";
import type { AccountContext } from "../account.ts";
import type { VirtualClockLike } from "./types.ts";

/** What the Step Functions service reads of the world: the account, its random stream, its bus and how time moves. */
export interface StepFunctionsHost extends AccountContext {
  readonly rng: { next(): number };
  readonly events: { flush(): Promise<void>; publish(event: ExecutionStatusChangeEvent): unknown };
  advance(seconds: number): void;
}

export type StepFunctionsSettings = Pick<LocalStepFunctionsOptions, "handlers" | "taskLatencyMs" | "historyEventLimit" | "onEvent" | "functions" | "lambdaFault"> & {
  /** What executions sleep on; by default worldClock(host), which jumps to each wake-up (server mode paces instead). */
  readonly clock?: VirtualClockLike;
};

// world.ts belongs to the lead: the registry hangs off the World through this map instead.
const registries = new WeakMap<StepFunctionsHost, LocalStepFunctions>();

/** Virtual time for executions: advancing runs the world's physics, then delivers due events. */
export function worldClock(host: StepFunctionsHost): VirtualClockLike {
  return {
    get nowMs() {
      return host.clock.nowMs;
    },
    async advance(seconds: number) {
      host.advance(seconds);
      await host.events.flush();
    },
  };
}

/**
 * The World's Step Functions registry, created on first use. Settings (shared handlers, Task
 * latency, onEvent) can only be given by the first call; later listeners use `subscribe`.
 */
export function stepFunctionsOf(host: StepFunctionsHost, settings?: StepFunctionsSettings): LocalStepFunctions {
  const existing = registries.get(host);
  if (existing !== undefined) {
    if (settings !== undefined) throw new Error("the World's Step Functions registry is already configured");
    return existing;
  }
  const created = new LocalStepFunctions({
    ...settings,
    clock: settings?.clock ?? worldClock(host),
    region: host.region,
    accountId: host.accountId,
    random: () => host.rng.next(),
    nextRequestId: () => host.nextRequestId(),
    // As on AWS, every start and end goes to the account's default event bus, where rules route it.
    onExecutionStatusChange: (event) => host.events.publish(event),
  });
  registries.set(host, created);
  return created;
}

/** Registers a state machine on the World (validated; throws UnsupportedDefinitionError). */
export function registerStateMachine(host: StepFunctionsHost, machine: LocalStateMachine): RegisteredStateMachine {
  return stepFunctionsOf(host).register(machine);
}
