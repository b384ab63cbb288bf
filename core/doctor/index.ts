import { checkAllTargetsUnhealthy, checkConnectionSkew, checkHealthCheckSettings, checkHealthCheckType } from "./health.ts";
import { readFleetConfiguration, type DoctorClients } from "./read.ts";
import { checkDeregistrationDelay, checkGracePeriod, checkHookTimeouts, checkIdleTimeout, checkInstanceWarmup } from "./timeouts.ts";
import type { Check, DoctorContext, Finding, FleetConfiguration, Severity } from "./types.ts";
import { checkListeners, checkRegistrationMode, checkStickiness, checkSuspendedProcesses } from "./wiring.ts";

export type { DoctorClients } from "./read.ts";
export { DEFAULT_CLIENT_TIMEOUTS } from "./types.ts";
export type { ClientTimeouts, DoctorContext, Finding, FleetConfiguration, Severity } from "./types.ts";

/** Every check, in the order a person fixes things: what cuts clients first, then wiring, then hygiene. */
export const CHECKS: readonly Check[] = [
  checkIdleTimeout,
  checkDeregistrationDelay,
  checkHookTimeouts,
  checkGracePeriod,
  checkRegistrationMode,
  checkHealthCheckType,
  checkAllTargetsUnhealthy,
  checkSuspendedProcesses,
  checkHealthCheckSettings,
  checkInstanceWarmup,
  checkConnectionSkew,
  checkListeners,
  checkStickiness,
];

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

export interface DoctorGroupReport {
  autoScalingGroupName: string;
  findings: Finding[];
}

export interface DoctorReport {
  stage: string;
  checkedAt: string;
  groups: DoctorGroupReport[];
  counts: Record<Severity, number>;
}

/** Runs every check over one configuration; errors first, the order of CHECKS within a severity. */
export function diagnose(configuration: FleetConfiguration, context: DoctorContext): Finding[] {
  return CHECKS.flatMap((check) => check(configuration, context)).sort((a, b) => RANK[a.severity] - RANK[b.severity]);
}

/** Reads each of the stage's groups through the APIs and checks it; read-only. */
export async function runDoctor(
  clients: DoctorClients,
  context: DoctorContext,
  options: { now: Date; groups?: readonly string[]; deployInProgress?: (groupName: string) => Promise<boolean> },
): Promise<DoctorReport> {
  const groups: DoctorGroupReport[] = [];
  for (const name of options.groups ?? context.stage.autoScalingGroups) {
    const deployInProgress = (await options.deployInProgress?.(name)) ?? false;
    const configuration = await readFleetConfiguration(clients, context.stage, name, { now: options.now, deployInProgress });
    groups.push({ autoScalingGroupName: name, findings: diagnose(configuration, context) });
  }
  const all = groups.flatMap((group) => group.findings);
  const counts = { error: 0, warning: 0, info: 0 };
  for (const finding of all) counts[finding.severity] += 1;
  return { stage: context.stage.stage, checkedAt: options.now.toISOString(), groups, counts };
}
