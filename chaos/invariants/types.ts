import type { ChaosObservation } from "../observe.ts";

/** A promise checked on a chaos run's quiescent report: undefined when kept, else what broke it. */
export interface Invariant {
  readonly name: string;
  check(observation: ChaosObservation): string | undefined;
}
