import type { InstanceDrainPhase, InstanceDrainProgress } from "../../core/instance-drain/progress.ts";
import type { FollowView } from "./follow.ts";
import { changedFacts, duration } from "./render.ts";

const PHASE_LABELS: Record<InstanceDrainPhase, string> = {
  shedding: "shedding while still registered",
  deregistering: "deregistering",
  draining: "deregistered, draining",
  drained: "drained",
  finished: "finished",
};

function phaseLine(progress: InstanceDrainProgress): string {
  if (progress.phase === "finished") return `${progress.outcome ?? "finished"}${progress.lockReleased === true ? ", lock released" : ""}`;
  const label = progress.phase === "drained" ? `drained, ${progress.then === "standby" ? "entering Standby" : "terminating"}` : PHASE_LABELS[progress.phase];
  return progress.connections === undefined || progress.phase === "drained" ? label : `${label}, ${progress.connections} connections left`;
}

const headLine = (progress: InstanceDrainProgress, executionStatus: string): string =>
  `drain ${progress.drainId} · ${progress.instanceId} in ${progress.groupName} · then ${progress.then} (execution ${executionStatus})`;

/** `ebb drain`'s view of its execution: one instance's phase and the connections it still holds. */
export function drainView(read: () => Promise<InstanceDrainProgress | undefined>): FollowView<InstanceDrainProgress> {
  return {
    noun: "drain",
    read,
    lines: (progress, executionStatus) => [
      headLine(progress, executionStatus),
      `  ${progress.instanceId}  ${phaseLine(progress)}`,
      `elapsed ${duration(progress.elapsedSeconds)}${progress.connectionsAtStart === undefined ? "" : ` · ${progress.connectionsAtStart} connections at the start`}`,
    ],
    changes: (progress, executionStatus, seen) => {
      const facts: [string, string, string][] = [
        ["status", executionStatus, `execution ${executionStatus}`],
        ["phase", progress.phase, `${progress.instanceId}  ${phaseLine(progress)}`],
      ];
      return changedFacts(facts, seen, progress.elapsedSeconds);
    },
    settled: (progress) => progress.phase === "finished",
  };
}
