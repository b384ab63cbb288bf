import { latestConnections } from "../connections.ts";
import type { Runtime } from "../runtime.ts";
import { getInstanceDrain, type DrainThen, type InstanceDrainRecord } from "./record.ts";

/** Where an operator's drain stands, from its record, for `ebb drain`'s live view. */
export type InstanceDrainPhase = "shedding" | "deregistering" | "draining" | "drained" | "finished";

export interface InstanceDrainProgress {
  drainId: string;
  instanceId: string;
  groupName: string;
  then: DrainThen;
  phase: InstanceDrainPhase;
  /** The latest connection count the instance published (absent when it published none lately). */
  connections?: number;
  connectionsAtStart?: number;
  deregisterOrder: InstanceDrainRecord["deregisterOrder"];
  elapsedSeconds: number;
  outcome?: string;
  lockReleased?: boolean;
}

function phaseOf(record: InstanceDrainRecord): InstanceDrainPhase {
  if (record.outcome !== undefined) return "finished";
  if (record.drainedAt !== undefined) return "drained";
  if (record.deregisteredAt !== undefined) return "draining";
  if (record.deregisteringAt !== undefined) return "deregistering";
  return "shedding";
}

/** undefined until the workflow's first step has recorded the drain. */
export async function readInstanceDrainProgress(rt: Runtime, drainId: string, now: Date): Promise<InstanceDrainProgress | undefined> {
  const record = await getInstanceDrain(rt, drainId);
  if (record === undefined) return undefined;
  const phase = phaseOf(record);
  const latest = phase === "finished" ? {} : await latestConnections(rt.clients.cloudWatch, rt.stage.connectionMetric, [record.instanceId], now);
  const connections = latest[record.instanceId];
  const atStart = record.connectionsAtStart[record.instanceId];
  return {
    drainId, instanceId: record.instanceId, groupName: record.groupName, then: record.then, phase, deregisterOrder: record.deregisterOrder,
    elapsedSeconds: Math.max(0, (Date.parse(record.finishedAt ?? now.toISOString()) - Date.parse(record.startedAt)) / 1000),
    ...(connections === undefined ? {} : { connections }),
    ...(atStart === undefined ? {} : { connectionsAtStart: atStart }),
    ...(record.outcome === undefined ? {} : { outcome: record.outcome }),
    ...(record.lockReleased === undefined ? {} : { lockReleased: record.lockReleased }),
  };
}
