import type { DrainSettings } from "../deploy-settings.ts";
import type { Runtime } from "../runtime.ts";

/**
 * One drain, whoever asks for it (a deploy batch, a terminate lifecycle hook, remediation): the
 * instances, why, the policy, and the step after the drain. Every trigger builds one of these and
 * hands it to the pipeline (core/drain/pipeline.ts); they differ only in `afterDrain`.
 */
export interface DrainRequest<AfterDrainResult = unknown> {
  /** Why these instances are drained, for the audit (e.g. "deploy d-1 batch 0", "terminate lifecycle action"). */
  cause: string;
  instanceIds: readonly string[];
  /** Every target group the instances may serve in. */
  targetGroupArns: readonly string[];
  policy: DrainSettings;
  /** The longest deregistration delay among the target groups while this drain runs. */
  deregistrationDelaySeconds: number;
  /**
   * The rate each instance is told to shed at (a reconnect budget's share, core/drain/pacing.ts);
   * omitted: the app's own rate.
   */
  shedRatePerSecond?: number;
  /** Connections each instance held when the drain was asked for (the first prediction). */
  connectionsAtStart: Readonly<Record<string, number>>;
  /**
   * `first` (the default): out of the load balancer, then the app sheds. `when-drained`: the app
   * sheds while still registered (it refuses new connections) and the instance is deregistered
   * once drained, for drains longer than the deregistration delay, which would otherwise end
   * them by cutting what is left.
   */
  deregister?: "first" | "when-drained";
  /** Where the drain's progress is kept between polls (each poll may run in a new Lambda). */
  journal: DrainJournal;
  /** What happens to the instances once drained (terminate through the ASG, complete a lifecycle action...). */
  afterDrain: (rt: Runtime, outcome: DrainOutcome) => Promise<AfterDrainResult>;
}

/** One SendCommand of the drain signal. */
export interface SignalRecord {
  commandId: string;
  instanceIds: string[];
  /** 1 for the first signal, 2 for its first retry... */
  attempt: number;
  sentAt: string;
}

/** The drain's progress as stored by its trigger; every step is recorded once. */
export interface DrainState {
  /** When a `when-drained` drain began (the signal); datapoints older than this say nothing about it. */
  drainStartedAt?: string;
  /** Recorded before DeregisterTargets: from then on the instances may be out of the load balancer. */
  deregisteringAt?: string;
  deregisteredAt?: string;
  /** Every drain signal sent, retries included. */
  signals?: SignalRecord[];
  /** Instances whose app took the drain signal (its invocation ended Success). */
  signalled?: string[];
  /**
   * When each app was first seen to hold no connection by its own word: its drain signal waits for
   * that and only then ends Success (poll time, so never earlier than the truth).
   */
  appDrainedAt?: Record<string, string>;
  /**
   * Instances drained by the load balancer view alone, and why (never signalled: not running or
   * not SSM-managed; or the signal failed on every attempt). Never counted as drained gracefully.
   */
  unsignalled?: Record<string, string>;
  /**
   * Hosts EC2 says are dead (status check impaired, or no longer running), and why: their drain
   * ends at once, their connections having been cut by the host's death, never by the drain.
   */
  dead?: Record<string, string>;
  drainedAt?: string;
  drainTimedOut?: boolean;
  /** Connections still open at the end of the drain (only when it timed out). */
  remainingConnections?: Record<string, number>;
  /** Instances whose deregistration ended with connections open: the load balancer cut them. */
  cutInstanceIds?: string[];
}

/** The trigger's storage for DrainState, and its audit log. */
export interface DrainJournal {
  readonly state: DrainState;
  /** `set` fields are overwritten, `once` fields keep their first value; returns the new state. */
  record(set: Partial<DrainState>, once?: Partial<DrainState>): Promise<DrainState>;
  audit(step: string, detail: Record<string, unknown>): Promise<void>;
}

/** What the drain ended with, handed to the after-drain step. */
export interface DrainOutcome {
  instanceIds: readonly string[];
  timedOut: boolean;
  /** Connections still open on instances not drained (only when timed out). */
  remaining: Record<string, number>;
  cut: string[];
  unsignalled: Record<string, string>;
}

/** What every drain step returns: poll again after waitSeconds unless done. */
export interface DrainPoll {
  done: boolean;
  waitSeconds: number;
  timedOut: boolean;
  /** Connections still open on instances not drained yet. */
  remainingConnections: number;
  /** Instances the load balancer cut off (its delay expired with connections open). */
  cut: number;
  /** Instances drained without the app's signal (load balancer view alone). */
  unsignalled: number;
}
