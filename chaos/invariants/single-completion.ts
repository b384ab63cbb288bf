import type { Invariant } from "./types.ts";

export const lifecycleCompletedOnce: Invariant = {
  name: "no lifecycle action completed twice",
  check({ report }) {
    const twice = report.lifecycle.duplicateCompletions;
    return twice === 0 ? undefined : `${twice} CompleteLifecycleAction call(s) for an action already completed`;
  },
};
