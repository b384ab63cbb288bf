import type { ChaosObservation } from "../observe.ts";
import { faultedInstances, outageSpans, sinceScenarioStart, within } from "./faulted.ts";
import type { Invariant } from "./types.ts";

/** The desired capacity someone else left the group at mid-run (a capacity change that applied), the lowest of them. */
const lowestDesired = ({ chaos, config, fired }: ChaosObservation): number => {
  const applied = config.faults.capacityChanges.filter((_, index) => fired.filter((fault) => fault.kind === "capacity")[index]?.outcome === "applied");
  return Math.min(chaos.desiredCapacity, ...applied.map((change) => change.desiredCapacity));
};

/**
 * The healthy instances the run promises: a deploy's minHealthyPercent of the desired capacity (the
 * planner's rounding up), a scale run's smaller of the two sizes, a serving fleet all of it; less one
 * per host that fails on its own (crashed, failing or flapping).
 */
export function healthyFloor(observation: ChaosObservation): number {
  const { chaos } = observation;
  const promised =
    chaos.workload === "deploy"
      ? Math.ceil((lowestDesired(observation) * (chaos.deploy?.minHealthyPercent ?? 100)) / 100)
      : chaos.workload === "remediation"
        ? chaos.desiredCapacity
        : Math.min(chaos.desiredCapacity, chaos.scaleTo ?? chaos.desiredCapacity);
  return promised - faultedInstances(observation).size;
}

/** Outside shared and zonal outages (and their recovery), healthy capacity never dips below the floor. */
export const healthyCapacityKept: Invariant = {
  name: "healthy capacity never below minHealthyPercent except by crashes",
  check(observation) {
    const floor = healthyFloor(observation);
    const spans = outageSpans(observation);
    const { report } = observation;
    if (spans.length === 0 && report.capacity.minHealthyInstances < floor) {
      return `healthy capacity fell to ${report.capacity.minHealthyInstances} (floor ${floor})`;
    }
    const dip = report.timeline.samples.find((sample) => sample.healthyInstances < floor && !within(spans, sinceScenarioStart(observation, sample.t)));
    return dip === undefined ? undefined : `healthy capacity ${dip.healthyInstances} at ${dip.t} s into the run (floor ${floor})`;
  },
};
