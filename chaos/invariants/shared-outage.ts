import { faultedInstances, outageSpans, within } from "./faulted.ts";
import type { Invariant } from "./types.ts";

/** The ASG's own health replacement (emulator/autoscaling/instance-lifecycle.ts). */
const HEALTH_CAUSE = "in response to a health check";
/** Someone's TerminateInstanceInAutoScalingGroup: during a serving run, only remediation asks. */
const USER_CAUSE = "in response to a user request";

/**
 * While every host fails because a shared dependency is down (and until it can have recovered),
 * nobody replaces a host that has nothing wrong of its own: not the ASG's health check, not
 * remediation. A deploy's own replacements and a scale in's victims are not the outage's.
 */
export const sharedOutageTerminatesNothing: Invariant = {
  name: "a shared outage terminates nothing",
  check(observation) {
    const spans = outageSpans(observation, false);
    if (spans.length === 0) return undefined;
    const faulted = faultedInstances(observation);
    const zonal = outageSpans({ config: { ...observation.config, faults: { ...observation.config.faults, sharedOutages: [] } } });
    const healthCauses = observation.chaos.workload === "remediation" ? [HEALTH_CAUSE, USER_CAUSE] : [HEALTH_CAUSE];
    const victims = observation.terminations.filter(
      (termination) =>
        within(spans, termination.atSeconds) &&
        !faulted.has(termination.launchIndex) &&
        !(within(zonal, termination.atSeconds) && observation.config.faults.zoneOutages.some((outage) => outage.availabilityZone === termination.availabilityZone)) &&
        healthCauses.some((cause) => termination.cause.includes(cause)),
    );
    return victims.length === 0 ? undefined : `terminated during a shared outage: ${victims.map((victim) => `${victim.instanceId} (index ${victim.launchIndex}) at ${victim.atSeconds} s: ${victim.cause}`).join("; ")}`;
  },
};
