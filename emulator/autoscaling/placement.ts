import type { AutoScalingGroupState } from "./group.ts";
import { sameTemplate } from "../ec2/launch-templates-model.ts";
import type { FleetInstance } from "./types.ts";

const countByZone = (zones: readonly string[], instances: readonly FleetInstance[]): Map<string, number> => {
  const counts = new Map<string, number>(zones.map((zone) => [zone, 0]));
  for (const instance of instances) counts.set(instance.availabilityZone, (counts.get(instance.availabilityZone) ?? 0) + 1);
  return counts;
};

/** Launches go to the zone with the fewest active instances (first listed wins ties). */
export const chooseLaunchZones = (zones: readonly string[], active: readonly FleetInstance[], count: number): string[] => {
  const counts = countByZone(zones, active);
  const chosen: string[] = [];
  for (let i = 0; i < count; i++) {
    let best = zones[0] ?? "";
    for (const zone of zones) if ((counts.get(zone) ?? 0) < (counts.get(best) ?? 0)) best = zone;
    counts.set(best, (counts.get(best) ?? 0) + 1);
    chosen.push(best);
  }
  return chosen;
};

/**
 * The default termination policy: the zone with the most instances (that has an unprotected one),
 * then instances not on the group's current launch template, then the one closest to its next
 * billing hour, then launch order. Instances protected from scale in are never chosen for a scale in
 * (an instance refresh told to refresh them passes `respectProtection` false).
 */
export const chooseToTerminate = (group: AutoScalingGroupState, active: readonly FleetInstance[], count: number, nowMs: number, respectProtection = true): FleetInstance[] => {
  const counts = countByZone(group.availabilityZones, active);
  const candidates = active.filter((instance) => !respectProtection || !instance.protectedFromScaleIn);
  const chosen: FleetInstance[] = [];
  while (chosen.length < count && candidates.length > 0) {
    let zone: string | undefined;
    for (const candidate of candidates) {
      const zoneCount = counts.get(candidate.availabilityZone) ?? 0;
      if (zone === undefined || zoneCount > (counts.get(zone) ?? 0)) zone = candidate.availabilityZone;
    }
    let pick: FleetInstance | undefined;
    for (const candidate of candidates) {
      if (candidate.availabilityZone !== zone) continue;
      if (pick === undefined || terminatesBefore(group, candidate, pick, nowMs)) pick = candidate;
    }
    if (pick === undefined) break;
    chosen.push(pick);
    candidates.splice(candidates.indexOf(pick), 1);
    counts.set(pick.availabilityZone, (counts.get(pick.availabilityZone) ?? 0) - 1);
  }
  return chosen;
};

const terminatesBefore = (group: AutoScalingGroupState, a: FleetInstance, b: FleetInstance, nowMs: number): boolean => {
  const aOutdated = !sameTemplate(a.launchTemplate, group.launchTemplate);
  const bOutdated = !sameTemplate(b.launchTemplate, group.launchTemplate);
  if (aOutdated !== bOutdated) return aOutdated;
  const hourMs = 3_600_000;
  const aBilled = (nowMs - a.launchTimeMs) % hourMs;
  const bBilled = (nowMs - b.launchTimeMs) % hourMs;
  if (aBilled !== bBilled) return aBilled > bBilled;
  return a.launchIndex < b.launchIndex;
};
