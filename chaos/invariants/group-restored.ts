import { HELD_PROCESS } from "../../core/remediation/outage.ts";
import type { ChaosObservation } from "../observe.ts";
import { TARGET_VERSION } from "../scenario.ts";
import type { Invariant } from "./types.ts";

/** The desired capacity the group should end at: what someone else last set mid-run, a scale run's target, else the start's. */
function expectedDesired({ chaos, config, fired }: ChaosObservation): number {
  const changes = fired.filter((fault) => fault.kind === "capacity");
  const applied = config.faults.capacityChanges.filter((_, index) => changes[index]?.outcome === "applied");
  return chaos.scaleTo ?? applied.at(-1)?.desiredCapacity ?? chaos.desiredCapacity;
}

/**
 * The group as configured: desired capacity, MaxSize, no process left suspended (remediation holds
 * ReplaceUnhealthy as its standing state), every deregistration delay back to its own value, and
 * the fleet on one version, the target after a successful deploy and the original otherwise.
 */
export const groupRestored: Invariant = {
  name: "the group's configuration restored",
  check(observation) {
    const { chaos, config, report } = observation;
    const fleet = report.fleet;
    const problems: string[] = [];
    const desired = expectedDesired(observation);
    if (fleet.desiredCapacity !== desired) problems.push(`desired ${fleet.desiredCapacity}, expected ${desired}`);
    if (fleet.maxSize !== chaos.desiredCapacity * 2) problems.push(`MaxSize ${fleet.maxSize}, expected ${chaos.desiredCapacity * 2}`);
    const suspended = fleet.suspendedProcesses.filter((process) => !(chaos.workload === "remediation" && process === HELD_PROCESS));
    if (suspended.length > 0) problems.push(`still suspended: ${suspended.join(", ")}`);
    const delay = config.targetGroup.deregistrationDelaySeconds;
    if (observation.deregistrationDelaySeconds.some((seconds) => seconds !== delay)) {
      problems.push(`deregistration delay ${observation.deregistrationDelaySeconds.join(", ")} s, expected ${delay} s`);
    }
    const version = chaos.workload === "deploy" && report.outcome === "Succeeded" ? TARGET_VERSION : "1";
    if (fleet.launchTemplateVersion !== version) problems.push(`launches version ${fleet.launchTemplateVersion}, expected ${version}`);
    const strays = Object.keys(fleet.versions).filter((each) => each !== version);
    if (strays.length > 0) problems.push(`instances running version ${strays.join(", ")} (fleet ${JSON.stringify(fleet.versions)})`);
    return problems.length === 0 ? undefined : problems.join("; ");
  },
};
