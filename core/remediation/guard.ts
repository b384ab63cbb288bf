import type { RemediationSettings } from "./settings.ts";

/** One registered instance of the group as the guard sees it (target health across every target group). */
export interface HostHealth {
  instanceId: string;
  availabilityZone: string;
  /** healthy in every target group, unhealthy in at least one, or neither yet (initial, draining...). */
  status: "healthy" | "unhealthy" | "pending";
}

export interface OutageVerdict {
  outage: boolean;
  /** Why the guard tripped (or why not), worded for the report. */
  reason: string;
  unhealthy: number;
  total: number;
}

/**
 * The shared-outage guard. Tripped when every target is unhealthy, or more than
 * `fraction` of them are, or more than `zoneFraction` of one zone's are; a count within the
 * absolute `allowance` never trips the fractional rules, so a small pool can still be repaired.
 */
export function sharedOutageVerdict(hosts: readonly HostHealth[], guard: RemediationSettings["sharedOutage"]): OutageVerdict {
  const judged = hosts.filter((host) => host.status !== "pending");
  const unhealthy = judged.filter((host) => host.status === "unhealthy");
  const verdict = (outage: boolean, reason: string): OutageVerdict => ({ outage, reason, unhealthy: unhealthy.length, total: judged.length });
  if (unhealthy.length === 0) return verdict(false, "no target is unhealthy");
  if (unhealthy.length === judged.length) return verdict(true, `every target is unhealthy (${unhealthy.length} of ${judged.length})`);
  if (unhealthy.length > guard.allowance && unhealthy.length > guard.fraction * judged.length) {
    return verdict(true, `${unhealthy.length} of ${judged.length} targets are unhealthy, more than ${round(guard.fraction)} of the group`);
  }
  for (const zone of [...new Set(judged.map((host) => host.availabilityZone))].sort()) {
    const inZone = judged.filter((host) => host.availabilityZone === zone);
    const failing = inZone.filter((host) => host.status === "unhealthy").length;
    if (failing > guard.allowance && failing > guard.zoneFraction * inZone.length) {
      return verdict(true, `${failing} of ${inZone.length} targets in ${zone} are unhealthy, more than ${round(guard.zoneFraction)} of the zone`);
    }
  }
  return verdict(false, `${unhealthy.length} of ${judged.length} targets are unhealthy, within the guard (fraction ${round(guard.fraction)}, allowance ${guard.allowance})`);
}

const round = (value: number): string => String(Number(value.toFixed(3)));

export interface BudgetState {
  /** Hosts being drained or waiting for a healthy replacement now. */
  inFlight: number;
  /** Replacements already started in the current window. */
  usedInWindow: number;
  /** Instances serving in every target group now. */
  healthy: number;
  desiredCapacity: number;
}

/** How many more replacements may start now, and if none, why (for the not-remediated report). */
export function replacementAllowance(state: BudgetState, budget: RemediationSettings["budget"]): { allowed: number; reason: string | undefined } {
  const floor = Math.max(budget.minHealthyInstances, Math.ceil(budget.minHealthyFraction * state.desiredCapacity));
  if (state.healthy < floor) {
    return { allowed: 0, reason: `healthy capacity ${state.healthy} is below the floor of ${floor} (minHealthyInstances ${budget.minHealthyInstances}, minHealthyFraction ${budget.minHealthyFraction})` };
  }
  const windowLeft = budget.maxPerWindow - state.usedInWindow;
  if (windowLeft <= 0) return { allowed: 0, reason: `budget spent: ${budget.maxPerWindow} replacement(s) per ${budget.windowSeconds} s` };
  const concurrentLeft = budget.maxConcurrent - state.inFlight;
  if (concurrentLeft <= 0) return { allowed: 0, reason: undefined };
  return { allowed: Math.min(windowLeft, concurrentLeft), reason: undefined };
}
