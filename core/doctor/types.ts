import type { AutoScalingGroup, LifecycleHook, ScalingPolicy } from "@aws-sdk/client-auto-scaling";
import type { Listener, LoadBalancer, TargetGroup, TargetHealthDescription } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { StageConfig } from "../stage.ts";

export type Severity = "error" | "warning" | "info";

/** How to fix a finding: the API call, and the same setting in SST (Pulumi) and Terraform. */
export interface FindingFix {
  api: string;
  sst?: string;
  terraform?: string;
}

/** One thing `ebb doctor` found wrong (or worth knowing) in the configuration it read. */
export interface Finding {
  id: string;
  severity: Severity;
  /** The resource the finding is about: a group name, a target group or load balancer ARN. */
  resource: string;
  what: string;
  why: string;
  fix: FindingFix;
}

/** A target group as read: its description, attributes and the health of its targets. */
export interface TargetGroupReading {
  group: TargetGroup;
  attributes: Record<string, string>;
  health: TargetHealthDescription[];
}

export interface LoadBalancerReading {
  loadBalancer: LoadBalancer;
  attributes: Record<string, string>;
  listeners: Listener[];
}

/** Everything the checks look at, read through the APIs in one pass. */
export interface FleetConfiguration {
  group: AutoScalingGroup;
  hooks: LifecycleHook[];
  policies: ScalingPolicy[];
  targetGroups: TargetGroupReading[];
  loadBalancers: LoadBalancerReading[];
  /** The latest connection count per InService instance, from the stage's connection metric; absent when none was published. */
  connections: Record<string, number>;
  /** Whether a deploy holds the group's lock (suspended processes are then the deploy's own). */
  deployInProgress: boolean;
}

/** The client side of the timeouts: nothing in AWS records it, so the operator states it (seeds/003's figures by default). */
export interface ClientTimeouts {
  heartbeatSeconds: number;
  /** How long a client waits past a missed heartbeat before it gives up (Socket.IO's ping timeout minus the interval). */
  heartbeatGraceSeconds: number;
  marginSeconds: number;
}

export const DEFAULT_CLIENT_TIMEOUTS: ClientTimeouts = { heartbeatSeconds: 25, heartbeatGraceSeconds: 25, marginSeconds: 30 };

export interface DoctorContext {
  stage: StageConfig;
  clients: ClientTimeouts;
}

/** A check: pure, over what was read. */
export type Check = (configuration: FleetConfiguration, context: DoctorContext) => Finding[];
