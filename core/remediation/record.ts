import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { isConditionalCheckFailure } from "../dynamo.ts";
import { RemediationStateError } from "../errors.ts";
import type { DrainState } from "../drain/request.ts";
import type { Runtime } from "../runtime.ts";
import type { HealthObservation } from "../types.ts";
import { DEPLOY_HASH_KEY, DEPLOY_RANGE_KEY } from "../tables.ts";

/**
 * One alarm episode's remediation, in the deploy table (the audit log's home) under
 * `remediation#<execution name>`, plus a per-group item that carries each host's history from one
 * episode to the next (a host that flaps across episodes is still a flapper). Payloads carry ids only.
 */

export interface HostHistory {
  /** Consecutive unhealthy reads, at most one per health-check interval. */
  unhealthyReads: number;
  lastReadAt?: string;
  lastStatus?: "healthy" | "unhealthy";
  /** Changes between healthy and unhealthy seen so far. */
  transitions: number;
  quarantines: number;
  firstSeenAt?: string;
  /** Seen serving in every target group at least once (a host still booting never was). */
  everHealthy?: boolean;
}

export interface NotRemediated {
  instanceId: string;
  reason: string;
  at: string;
}

export type DrainPurpose = "replace" | "quarantine";

export interface RemediationRecord {
  remediationId: string;
  alarmName: string;
  alarmChangedAt: string;
  groupName: string;
  targetGroupArns: string[];
  startedAt: string;
  /** The slowest target group's health-check interval: how often a read can show anything new. */
  intervalSeconds: number;
  /**
   * Unhealthy reads count this far apart: a recovered target needs HealthyThresholdCount passing
   * checks to show healthy again, so reads any closer could confirm a host that has recovered.
   */
  readSpacingSeconds: number;
  version: number;
  hosts: Record<string, HostHistory>;
  /** Hosts in the drain pipeline now, why, and the pipeline's journal. */
  draining?: {
    instanceIds: string[];
    purpose: DrainPurpose;
    connectionsAtStart: Record<string, number>;
    state: DrainState;
    /**
     * Capacity first: the desired capacity raised by one per host before its drain, so the
     * replacement boots while the host sheds; the host is then terminated with a decrement.
     * Recorded before SetDesiredCapacity (absolute, so repeating it is harmless).
     */
    surgeTo?: number;
    /** The group's instances before the surge: any other one is a replacement. */
    knownIds?: string[];
  };
  /** Terminated for replacement; verified once as many new instances serve in every target group. */
  replacing?: { instanceIds: string[]; knownIds: string[]; terminatedAt: string; healthObservations?: Record<string, HealthObservation> };
  quarantined: Record<string, { until: string }>;
  outage?: { detectedAt: string; reason: string; suspendedProcesses: string[] };
  outagesDetected: { at: string; reason: string; endedAt?: string }[];
  replaced: { instanceId: string; terminatedAt: string; verifiedAt: string }[];
  notRemediated: NotRemediated[];
  lockHeld: boolean;
  /** Quarantines this episode started. */
  quarantinesStarted?: number;
  /** The deploy (or other owner) this episode waited for, and since when. */
  queuedSince?: string;
  finishedAt?: string;
  outcome?: string;
}

const EPISODE_SK = "remediation";
const keyOf = (id: string): Record<string, string> => ({ [DEPLOY_HASH_KEY]: id, [DEPLOY_RANGE_KEY]: EPISODE_SK });
const episodeKey = (remediationId: string): string => `remediation#${remediationId}`;
const groupKey = (groupName: string): string => `remediation-group#${groupName}`;

export async function getRemediation(rt: Runtime, remediationId: string): Promise<RemediationRecord> {
  const response = await rt.clients.dynamo.send(
    new GetCommand({ TableName: rt.stage.tables.deploys, Key: keyOf(episodeKey(remediationId)), ConsistentRead: true }),
  );
  if (response.Item === undefined) throw new RemediationStateError(`remediation ${remediationId} has no record`);
  const { [DEPLOY_HASH_KEY]: _key, [DEPLOY_RANGE_KEY]: _sk, ...record } = response.Item;
  return record as RemediationRecord;
}

/** Creates the episode's record; a retried first step gets the stored one back. */
export async function createRemediation(rt: Runtime, record: RemediationRecord): Promise<RemediationRecord> {
  try {
    await rt.clients.dynamo.send(
      new PutCommand({
        TableName: rt.stage.tables.deploys,
        Item: { ...record, ...keyOf(episodeKey(record.remediationId)) },
        ConditionExpression: "attribute_not_exists(#key)",
        ExpressionAttributeNames: { "#key": DEPLOY_HASH_KEY },
      }),
    );
    return record;
  } catch (error) {
    if (!isConditionalCheckFailure(error)) throw error;
    return getRemediation(rt, record.remediationId);
  }
}

/** Writes the record back if nobody else did since it was read (optimistic: `version`). */
export async function saveRemediation(rt: Runtime, record: RemediationRecord): Promise<RemediationRecord> {
  const next = { ...record, version: record.version + 1 };
  try {
    await rt.clients.dynamo.send(
      new PutCommand({
        TableName: rt.stage.tables.deploys,
        Item: { ...next, ...keyOf(episodeKey(record.remediationId)) },
        ConditionExpression: "#version = :read",
        ExpressionAttributeNames: { "#version": "version" },
        ExpressionAttributeValues: { ":read": record.version },
      }),
    );
  } catch (error) {
    if (isConditionalCheckFailure(error)) throw new RemediationStateError(`remediation ${record.remediationId} was changed by another step`, { cause: error });
    throw error;
  }
  await rt.clients.dynamo.send(
    new PutCommand({ TableName: rt.stage.tables.deploys, Item: { ...keyOf(groupKey(record.groupName)), hosts: next.hosts, remediationId: record.remediationId } }),
  );
  return next;
}

/** Host histories the group's previous episode left (empty for the first). */
export async function previousHostHistory(rt: Runtime, groupName: string): Promise<Record<string, HostHistory>> {
  const response = await rt.clients.dynamo.send(new GetCommand({ TableName: rt.stage.tables.deploys, Key: keyOf(groupKey(groupName)), ConsistentRead: true }));
  return (response.Item?.["hosts"] as Record<string, HostHistory> | undefined) ?? {};
}
