import type { Invariant } from "./types.ts";

/** A deploy ends Succeeded or RolledBack; a lifecycle or remediation run's workflows all succeed; nothing is left in motion. */
export const runEnds: Invariant = {
  name: "run ends Succeeded or RolledBack, never stuck",
  check({ chaos, report }) {
    if (!report.quiescence.quiescent) return `the world never settled: ${report.quiescence.unsettled.join(", ")}`;
    const allowed = chaos.workload === "deploy" ? ["Succeeded", "RolledBack"] : ["Succeeded"];
    if (!allowed.includes(report.outcome)) return `outcome ${report.outcome}: ${report.cause ?? ""}`;
    return undefined;
  },
};
