import type { DeploySettings } from "./deploy-settings.ts";
import type { DrainState } from "./drain/request.ts";

export type { BatchSize, DeployMode, DeploySettings, DrainSettings, HealthSettings } from "./deploy-settings.ts";
export type { StageConfig } from "./stage.ts";

/** A validated workflow input with every default filled in (stored in the deploy record). */
export interface DeployInput extends DeploySettings {
  autoScalingGroupName: string;
}

export interface LaunchTemplateRef {
  launchTemplateId: string;
  launchTemplateName: string;
  version: string;
}

/** One instance as the Auto Scaling group reports it. */
export interface InstanceView {
  instanceId: string;
  availabilityZone: string;
  /** ASG lifecycle state: InService, Pending, Standby, Terminating... */
  lifecycleState: string;
  healthStatus: string;
  launchTemplateVersion: string | undefined;
  protectedFromScaleIn: boolean;
}

export interface GroupView {
  name: string;
  /** AutoScalingGroupARN, where the read saw it (the Resources of Ebb's progress events). */
  arn?: string;
  /** Processes suspended on the group (SuspendProcesses), by name. */
  suspendedProcesses: string[];
  desiredCapacity: number;
  minSize: number;
  maxSize: number;
  launchTemplate: LaunchTemplateRef;
  targetGroupArns: string[];
  instances: InstanceView[];
  /** HealthCheckGracePeriod: how long a new instance's failed health checks do not count. */
  healthCheckGracePeriodSeconds?: number;
}

/** What the deploy needs to know about a target group to time its waits. */
export interface TargetGroupSettings {
  arn: string;
  healthCheckIntervalSeconds: number;
  healthyThreshold: number;
  deregistrationDelaySeconds: number;
}

/** The fleet as the deploy found it; rollback returns to this launch template and capacity. */
export interface FleetSnapshot {
  takenAt: string;
  desiredCapacity: number;
  minSize: number;
  maxSize: number;
  launchTemplate: LaunchTemplateRef;
  targetGroups: TargetGroupSettings[];
  instances: InstanceView[];
  /** The group's ARN (the Resources of the deploy's progress events). */
  groupArn?: string;
}

export type SkipReason = "on-target-version" | "protected-from-scale-in" | "standby" | "not-in-service";

export interface PlannedBatch {
  index: number;
  instanceIds: string[];
  /** Instances per Availability Zone in this batch. */
  availabilityZones: Record<string, number>;
  predictedSeconds: number;
}

export interface DeployPlan {
  mode: DeploySettings["mode"];
  targetVersion: string;
  /** The batch size the input asked for, in instances. */
  requestedBatchSize: number;
  /** At most this many healthy instances leave service at once (replace mode, minHealthyPercent). */
  maxHealthyOutOfService: number;
  batches: PlannedBatch[];
  skipped: { instanceId: string; reason: SkipReason }[];
  /** Why the plan differs from the input (capped batch size, skipped instances...). */
  notes: string[];
  predictedSeconds: number;
}

export type DeployPhase = "deploy" | "rollback";

export type DeployStatus = "Started" | "InProgress" | "RollingBack" | "Succeeded" | "DryRun" | "RolledBack" | "Failed";

/** The deploy record (sk = "deploy"): the only place fleet-sized data lives. */
export interface DeployRecord {
  deployId: string;
  autoScalingGroupName: string;
  status: DeployStatus;
  input: DeployInput;
  startedAt: string;
  updatedAt: string;
  snapshot?: FleetSnapshot;
  targetVersion?: string;
  plan?: DeployPlan;
  rollback?: { cause: string; error: string; startedAt: string; plan: DeployPlan };
  /** What the deploy changed on the group and its target groups for its duration, recorded before changing it. */
  groupChanges?: GroupChanges;
  /** The group's desired capacity apart from the deploy's surge, and the value the deploy's own last change left it at (core/deploy/desired-capacity.ts). */
  desiredCapacity?: { configured: number; expected: number };
  outcome?: { status: DeployStatus; at: string; cause?: string };
}

/** Restored on every way out of a deploy (success, rollback, failure, abort). */
export interface GroupChanges {
  /** The processes Ebb suspended; ones the group already had suspended are not listed and stay suspended. */
  suspendedProcesses: string[];
  deregistrationDelays: { targetGroupArn: string; originalSeconds: number; raisedSeconds: number }[];
}

/** Progress of one batch (sk = "batch#<phase>#<index>"); every step is recorded once. Its drain's progress is the pipeline's DrainState. */
export interface BatchRecord extends DrainState {
  deployId: string;
  phase: DeployPhase;
  batchIndex: number;
  mode: DeploySettings["mode"];
  /** The launch template version new instances must run in this phase. */
  targetVersion: string;
  /** Instances this batch drains and terminates. */
  instanceIds: string[];
  /** Instances in the group when the batch started: anything else is new. */
  knownInstanceIds: string[];
  /** How many new instances the batch waits for. */
  expectedNewInstances: number;
  startedAt: string;
  connectionsAtStart: Record<string, number>;
  surgeDesiredCapacity?: number;
  /** Instances outside the batch serving everywhere when it started: any of them lost meanwhile is not the deploy's doing. */
  servingAtStart?: string[];
  /** When healthy capacity was first seen lost for a reason that is not the deploy (the batch pauses). */
  capacityLostAt?: string;
  terminatedAt?: string;
  healthStartedAt?: string;
  /** Consecutive healthy observations per new instance. */
  healthObservations?: Record<string, HealthObservation>;
  healthyAt?: string;
  bakeStartedAt?: string;
  completedAt?: string;
}

export interface HealthObservation {
  consecutive: number;
  /** When the last counted observation was made (ISO). */
  lastCountedAt?: string;
}

/** What every poll handler returns; the workflow waits waitSeconds (≥ 1) and polls again unless done. */
export interface PollResult {
  done: boolean;
  waitSeconds: number;
}
