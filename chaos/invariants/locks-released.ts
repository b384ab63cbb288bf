import type { Invariant } from "./types.ts";

export const locksReleased: Invariant = {
  name: "every lock released",
  check({ report }) {
    return report.fleet.lockHeld ? "the group's deploy lock is still in its table" : undefined;
  },
};
