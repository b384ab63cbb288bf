import type { Invariant } from "./types.ts";

export const noneDeregisteredButRunning: Invariant = {
  name: "fleet.deregisteredButRunning is 0",
  check({ report }) {
    const count = report.fleet.deregisteredButRunning;
    return count === 0 ? undefined : `${count} InService instance(s) left deregistered or draining while running`;
  },
};
