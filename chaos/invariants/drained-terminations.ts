import type { Invariant } from "./types.ts";

/** Every instance whose connections a termination or the load balancer cut counts (a crashed host's are the crash's). */
export const terminatedOnlyDrained: Invariant = {
  name: "no instance terminated without drain unless dead",
  check({ report }) {
    const cut = report.instances.terminatedWithoutDrain;
    return cut === 0 ? undefined : `${cut} live instance(s) cut off while still holding connections`;
  },
};
