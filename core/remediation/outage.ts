import { ResumeProcessesCommand, SetInstanceHealthCommand, SuspendProcessesCommand } from "@aws-sdk/client-auto-scaling";
import { PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { liveInstances } from "../fleet.ts";
import { PROGRESS_DETAIL_TYPES, publishProgress } from "../progress-events/publish.ts";
import type { Runtime } from "../runtime.ts";
import type { GroupView } from "../types.ts";
import type { FleetHealth } from "./fleet-health.ts";
import type { OutageVerdict } from "./guard.ts";
import type { RemediationRecord } from "./record.ts";

/**
 * What Ebb does to the ASG's own health replacement. Standing state, for every group it
 * remediates: `ReplaceUnhealthy` suspended, so the ASG's ELB health check only marks instances
 * and Ebb, with its guards, is the one that replaces them. (An alarm reaches Ebb minutes after
 * the targets fail; the ASG acts on the next health check: resuming ReplaceUnhealthy between
 * outages and suspending it once one is seen would always come too late.) During a shared
 * outage Ebb also suspends `HealthCheck`, so the outage does not leave every instance marked
 * Unhealthy; when health returns it clears the marks the outage left on recovered instances
 * (SetInstanceHealth Healthy) and resumes HealthCheck. If Ebb itself is down, nothing replaces
 * unhealthy hosts until it is back: a degraded fleet, never a terminated one.
 */

export const HELD_PROCESS = "ReplaceUnhealthy";
const OUTAGE_PROCESS = "HealthCheck";
export const OUTAGE_METRIC = { namespace: "Ebb", name: "FleetWideOutage" } as const;

/** Suspends ReplaceUnhealthy on the group if it is not already; returns whether it changed anything. Safe to repeat. */
export async function holdHealthReplacement(rt: Runtime, group: Pick<GroupView, "name" | "suspendedProcesses">): Promise<boolean> {
  if (group.suspendedProcesses.includes(HELD_PROCESS)) return false;
  await rt.clients.autoScaling.send(new SuspendProcessesCommand({ AutoScalingGroupName: group.name, ScalingProcesses: [HELD_PROCESS] }));
  return true;
}

async function publishOutage(rt: Runtime, groupName: string, value: number): Promise<void> {
  await rt.clients.cloudWatch.send(
    new PutMetricDataCommand({
      Namespace: OUTAGE_METRIC.namespace,
      MetricData: [{ MetricName: OUTAGE_METRIC.name, Dimensions: [{ Name: "AutoScalingGroupName", Value: groupName }], Value: value, Unit: "Count", Timestamp: rt.clock.now() }],
    }),
  );
}

/** The outage starts: record it first (so every way out resumes what was suspended), suspend HealthCheck, publish. */
export async function beginOutageHold(rt: Runtime, record: RemediationRecord, fleet: FleetHealth, verdict: OutageVerdict): Promise<RemediationRecord> {
  const now = rt.clock.now().toISOString();
  const suspendedProcesses = [HELD_PROCESS, OUTAGE_PROCESS].filter((process) => !fleet.group.suspendedProcesses.includes(process));
  const updated: RemediationRecord = {
    ...record,
    outage: { detectedAt: now, reason: verdict.reason, suspendedProcesses },
    outagesDetected: [...record.outagesDetected, { at: now, reason: verdict.reason }],
  };
  if (suspendedProcesses.length > 0) {
    await rt.clients.autoScaling.send(new SuspendProcessesCommand({ AutoScalingGroupName: fleet.group.name, ScalingProcesses: suspendedProcesses }));
  }
  await publishOutage(rt, fleet.group.name, 1);
  rt.logger.warn("FleetWideOutage", { groupName: fleet.group.name, reason: verdict.reason, remediationId: record.remediationId });
  await publishProgress(rt, {
    detailType: PROGRESS_DETAIL_TYPES.outageDetected,
    eventId: `${record.remediationId}:outage:${updated.outagesDetected.length}`,
    autoScalingGroupName: fleet.group.name,
    detail: { remediationId: record.remediationId, reason: verdict.reason, unhealthy: verdict.unhealthy, total: verdict.total, detectedAt: now, suspendedProcesses },
    resources: fleet.group.arn === undefined ? [] : [fleet.group.arn],
  });
  return updated;
}

/**
 * Health is back (or the hold has lasted its maximum): clear the Unhealthy marks of instances
 * healthy in every target group, then resume what the hold suspended (never the standing
 * ReplaceUnhealthy). Safe to repeat.
 */
export async function endOutageHold(rt: Runtime, record: RemediationRecord, fleet: FleetHealth): Promise<RemediationRecord> {
  const outage = record.outage;
  if (outage === undefined) return record;
  await clearRecoveredMarks(rt, fleet);
  const resume = outage.suspendedProcesses.filter((process) => process !== HELD_PROCESS);
  if (resume.length > 0) await rt.clients.autoScaling.send(new ResumeProcessesCommand({ AutoScalingGroupName: fleet.group.name, ScalingProcesses: resume }));
  await publishOutage(rt, fleet.group.name, 0);
  const endedAt = rt.clock.now().toISOString();
  const { outage: _ended, ...rest } = record;
  return { ...rest, outagesDetected: record.outagesDetected.map((entry) => (entry.at === outage.detectedAt ? { ...entry, endedAt } : entry)) };
}

/** Instances the ASG marked Unhealthy that serve in every target group again get their mark cleared. */
export async function clearRecoveredMarks(rt: Runtime, fleet: FleetHealth): Promise<string[]> {
  const healthy = new Set(fleet.hosts.filter((host) => host.status === "healthy").map((host) => host.instanceId));
  const marked = liveInstances(fleet.group).filter((instance) => instance.healthStatus === "Unhealthy" && healthy.has(instance.instanceId));
  for (const instance of marked) {
    await rt.clients.autoScaling.send(new SetInstanceHealthCommand({ InstanceId: instance.instanceId, HealthStatus: "Healthy", ShouldRespectGracePeriod: false }));
  }
  return marked.map((instance) => instance.instanceId);
}
