import type { VirtualClock } from "../clock.ts";
import type { FleetInstance } from "../autoscaling/types.ts";
import type { InstanceReachability } from "../ports.ts";

/** EC2 runs its status checks once a minute ("Status checks for your instances"). */
export const STATUS_CHECK_INTERVAL_MS = 60_000;

export interface StatusCheckSettings {
  /**
   * How long checks must keep failing before the status reads `impaired`. The guide gives only
   * the one-minute cadence; a single missed check is not proof, so the harsher reading holds
   * the verdict back for several consecutive failures.
   */
  readonly impairedAfterSeconds: number;
}

export type SummaryStatus = "ok" | "impaired" | "insufficient-data" | "not-applicable" | "initializing";
export type DetailStatus = "passed" | "failed" | "insufficient-data" | "initializing";

export interface StatusSummary {
  readonly status: SummaryStatus;
  /** Absent for `not-applicable` (the instance is not running): EC2 lists no details then. */
  readonly reachability?: { readonly status: DetailStatus; readonly impairedSinceMs?: number };
}

export interface InstanceStatus {
  readonly instanceStatus: StatusSummary;
  readonly systemStatus: StatusSummary;
}

/** What the status checks read of the world: the instances EC2 runs and what probing a host gets. */
export interface StatusCheckWorld {
  readonly clock: VirtualClock;
  readonly autoscaling: { instances(): readonly FleetInstance[] };
  readonly physics: InstanceReachability;
}

interface CheckHistory {
  nextCheckMs: number;
  everPassed: boolean;
  consecutiveFailures: number;
  failingSinceMs?: number;
}

/**
 * EC2's instance status checks: every minute of a running instance, a reachability probe of its
 * host. The system checks watch AWS's own hardware, which the emulated account never fails.
 */
export class InstanceStatusChecks {
  readonly #world: StatusCheckWorld;
  readonly #settings: StatusCheckSettings;
  readonly #histories = new Map<string, CheckHistory>();

  constructor(world: StatusCheckWorld, settings: StatusCheckSettings) {
    this.#world = world;
    this.#settings = settings;
  }

  step(nowMs: number): void {
    for (const instance of this.#world.autoscaling.instances()) {
      if (instance.ec2State !== "running") continue;
      const history = this.#historyOf(instance, nowMs);
      while (history.nextCheckMs <= nowMs) {
        if (this.#world.physics.reachable(instance.instanceId)) {
          history.everPassed = true;
          history.consecutiveFailures = 0;
          history.failingSinceMs = undefined;
        } else {
          history.consecutiveFailures += 1;
          history.failingSinceMs ??= history.nextCheckMs;
        }
        history.nextCheckMs += STATUS_CHECK_INTERVAL_MS;
      }
    }
  }

  status(instance: FleetInstance): InstanceStatus {
    if (instance.ec2State !== "running") return { instanceStatus: { status: "not-applicable" }, systemStatus: { status: "not-applicable" } };
    const history = this.#histories.get(instance.instanceId);
    const failuresNeeded = Math.max(1, Math.ceil((this.#settings.impairedAfterSeconds * 1000) / STATUS_CHECK_INTERVAL_MS));
    let instanceStatus: StatusSummary;
    if (history !== undefined && history.consecutiveFailures >= failuresNeeded) {
      instanceStatus = { status: "impaired", reachability: { status: "failed", impairedSinceMs: history.failingSinceMs } };
    } else if (history?.everPassed === true) {
      // Failures short of the verdict leave the last one standing: not proof yet.
      instanceStatus = { status: "ok", reachability: { status: "passed" } };
    } else if ((history?.consecutiveFailures ?? 0) > 0) {
      instanceStatus = { status: "insufficient-data", reachability: { status: "insufficient-data" } };
    } else {
      instanceStatus = { status: "initializing", reachability: { status: "initializing" } };
    }
    const systemStatus: StatusSummary =
      instanceStatus.status === "initializing" ? { status: "initializing", reachability: { status: "initializing" } } : { status: "ok", reachability: { status: "passed" } };
    return { instanceStatus, systemStatus };
  }

  /** An instance first seen a minute or more after its launch ran before the account's start: its checks so far passed. */
  #historyOf(instance: FleetInstance, nowMs: number): CheckHistory {
    let history = this.#histories.get(instance.instanceId);
    if (history === undefined) {
      const checksSoFar = Math.floor((nowMs - instance.launchTimeMs) / STATUS_CHECK_INTERVAL_MS);
      history = { nextCheckMs: instance.launchTimeMs + (checksSoFar + 1) * STATUS_CHECK_INTERVAL_MS, everPassed: checksSoFar >= 1, consecutiveFailures: 0 };
      this.#histories.set(instance.instanceId, history);
    }
    return history;
  }
}
