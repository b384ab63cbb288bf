import { noneDeregisteredButRunning } from "./deregistered-but-running.ts";
import { terminatedOnlyDrained } from "./drained-terminations.ts";
import { forcedOnlyByCrashes } from "./forced-disconnects.ts";
import { groupRestored } from "./group-restored.ts";
import { healthyCapacityKept } from "./healthy-capacity.ts";
import { locksReleased } from "./locks-released.ts";
import { runEnds } from "./run-ends.ts";
import { sharedOutageTerminatesNothing } from "./shared-outage.ts";
import { lifecycleCompletedOnce } from "./single-completion.ts";
import type { Invariant } from "./types.ts";
import type { ChaosObservation } from "../observe.ts";

export type { Invariant } from "./types.ts";

export const invariants: readonly Invariant[] = [
  runEnds,
  noneDeregisteredButRunning,
  forcedOnlyByCrashes,
  healthyCapacityKept,
  terminatedOnlyDrained,
  lifecycleCompletedOnce,
  sharedOutageTerminatesNothing,
  groupRestored,
  locksReleased,
];

export interface Violation {
  invariant: string;
  detail: string;
}

export function violations(observation: ChaosObservation): Violation[] {
  return invariants.flatMap((invariant) => {
    const detail = invariant.check(observation);
    return detail === undefined ? [] : [{ invariant: invariant.name, detail }];
  });
}
