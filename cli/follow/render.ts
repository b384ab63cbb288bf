import type { DeployProgress, InstancePhase, InstanceProgress } from "../../core/progress/read.ts";

/** 3m05s, 45s, 1h02m. */
export function duration(seconds: number): string {
  const total = Math.max(0, Math.round(seconds));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const rest = total % 60;
  if (hours > 0) return `${hours}h${String(minutes).padStart(2, "0")}m`;
  if (minutes > 0) return `${minutes}m${String(rest).padStart(2, "0")}s`;
  return `${rest}s`;
}

const PHASE_LABELS: Record<InstancePhase, string> = {
  queued: "in service, queued",
  deregistering: "deregistering",
  draining: "deregistered, draining",
  drained: "drained",
  terminating: "terminating",
  terminated: "terminated",
  booting: "booting",
  "health-checking": "registered, health checking",
  healthy: "health checks passed",
};

export function instancePhase(instance: InstanceProgress): string {
  const label = PHASE_LABELS[instance.phase];
  if (instance.phase === "draining" && instance.connections !== undefined) return `${label}, ${instance.connections} connections left`;
  return label;
}

const instanceLine = (instance: InstanceProgress): string =>
  `${instance.role === "old" ? "-" : "+"} ${instance.instanceId}${instance.availabilityZone === undefined ? "" : ` (${instance.availabilityZone})`}  ${instancePhase(instance)}`;

export function batchLine(progress: DeployProgress): string {
  const batch = progress.batch;
  if (batch === undefined) return progress.status === "Started" ? "planning" : "no batch yet";
  return `${batch.phase === "rollback" ? "rollback " : ""}batch ${batch.index + 1}/${batch.count} · ${batch.step}`;
}

export function capacityLine(progress: DeployProgress): string | undefined {
  const capacity = progress.capacity;
  if (capacity === undefined) return undefined;
  const below = capacity.healthy < capacity.minimum ? " BELOW MINIMUM" : "";
  return `healthy ${capacity.healthy} of ${capacity.desired} (minimum ${capacity.minimum})${below}`;
}

const timeLine = (progress: DeployProgress): string =>
  `elapsed ${duration(progress.elapsedSeconds)}${progress.etaSeconds === undefined ? "" : ` · eta ${duration(progress.etaSeconds)}`}`;

/** The live view: what `kubectl rollout status` would print, redrawn in place on a terminal. */
export function progressLines(progress: DeployProgress, executionStatus: string): string[] {
  const head = `deploy ${progress.deployId} · ${progress.autoScalingGroupName}${progress.targetVersion === undefined ? "" : ` → v${progress.targetVersion}`} · ${progress.status} (execution ${executionStatus})`;
  const summary = [batchLine(progress), capacityLine(progress), timeLine(progress)].filter((part) => part !== undefined).join(" · ");
  return [head, summary, ...progress.instances.map((instance) => `  ${instanceLine(instance)}`)];
}

/**
 * Without a terminal: one line per change, keyed so that a count ticking down does not print a
 * line every poll. Returns the lines to print and the keys now seen.
 */
export function changeLines(progress: DeployProgress, executionStatus: string, seen: Map<string, string>): string[] {
  const facts: [string, string, string][] = [
    ["status", `${progress.status}/${executionStatus}`, `status ${progress.status} (execution ${executionStatus})`],
    ["batch", batchLine(progress), `${batchLine(progress)}${progress.etaSeconds === undefined ? "" : ` · eta ${duration(progress.etaSeconds)}`}`],
  ];
  const capacity = capacityLine(progress);
  if (capacity !== undefined) facts.push(["capacity", capacity, capacity]);
  for (const instance of progress.instances) facts.push([`instance ${instance.instanceId}`, instance.phase, instanceLine(instance)]);
  return changedFacts(facts, seen, progress.elapsedSeconds);
}

/** One line per fact (key, value, line) whose value is not the one last seen, stamped with the elapsed time. */
export function changedFacts(facts: readonly (readonly [string, string, string])[], seen: Map<string, string>, elapsedSeconds: number): string[] {
  const lines: string[] = [];
  for (const [key, value, line] of facts) {
    if (seen.get(key) === value) continue;
    seen.set(key, value);
    lines.push(`[${duration(elapsedSeconds).padStart(6)}] ${line}`);
  }
  return lines;
}

/** How a finished deploy is reported in one line. */
export const summaryLine = (progress: DeployProgress): string =>
  `deploy ${progress.deployId} ${progress.outcome?.status ?? progress.status} in ${duration(progress.elapsedSeconds)}${progress.batch === undefined ? "" : ` (${progress.batch.count} batches)`}`;
