import { warmUpSeconds } from "../../sim/simulate.ts";
import type { ChaosObservation } from "../observe.ts";

/** A stretch of virtual time (seconds since the scenario started) in which health is not the control plane's doing. */
export interface Span {
  from: number;
  to: number;
}

/** Launch indexes whose own host fails: crashed, failing its checks, flapping, or never booted. */
export function faultedInstances({ config, terminations }: Pick<ChaosObservation, "config" | "terminations">): Set<number> {
  const faults = config.faults;
  const faulted = new Set<number>([...faults.unhealthy, ...faults.flapping, ...faults.crashes].map((fault) => fault.instanceIndex));
  for (const termination of terminations) if (termination.crashed || termination.bootFailed) faulted.add(termination.launchIndex);
  return faulted;
}

/**
 * Every shared and zonal outage, from its start until the targets can have passed their checks
 * again after it (the healthy threshold at the interval, one interval late, and a minute for alarms).
 */
export function outageSpans({ config }: Pick<ChaosObservation, "config">, zonal = true): Span[] {
  const check = config.targetGroup.healthCheck;
  const recovery = (check.healthyThreshold + 1) * check.intervalSeconds + 60;
  const windows = [...config.faults.sharedOutages, ...(zonal ? config.faults.zoneOutages : [])];
  return windows.map((window) => ({ from: window.atSeconds, to: window.atSeconds + window.durationSeconds + recovery }));
}

export const within = (spans: readonly Span[], atSeconds: number): boolean => spans.some((span) => atSeconds >= span.from && atSeconds <= span.to);

/** A timeline sample's time is from the run's start, after the fleet's warm-up. */
export const sinceScenarioStart = (observation: Pick<ChaosObservation, "config">, runSeconds: number): number => runSeconds + warmUpSeconds(observation.config);
