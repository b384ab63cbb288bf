import type { ForcedCloseCause, UsageCounters } from "../emulator/ports.ts";

/**
 * What the emulator observed, for the report. Physics and the protocol layer add to these;
 * nothing else writes them.
 */
export class WorldStats implements UsageCounters {
  forcedDisconnects = 0;
  gracefulHandoffs = 0;
  /** Reconnects per virtual minute (index = minute since start). */
  readonly reconnectsPerMinute: number[] = [];
  instancesLaunched = 0;
  instancesTerminated = 0;
  /** Connections closed by force, by who closed them. */
  readonly forcedDisconnectsBy: Record<ForcedCloseCause, number> = { "deregistration-delay": 0, termination: 0, crash: 0 };
  /** Instances whose open connections were cut by the load balancer or a termination (a crash is the host's own death). */
  readonly #cutInstances = new Set<string>();
  /** Failing instances taken out of service by the control plane (Ebb's remediation). */
  remediated = 0;
  /** Failing instances the ASG replaced by itself (its ReplaceUnhealthy process), counted apart from the control plane's. */
  replacedByAsg = 0;
  lifecycleCompleted = 0;
  lifecycleTimedOut = 0;
  duplicateCompletions = 0;
  /** RecordLifecycleActionHeartbeat calls accepted. */
  lifecycleHeartbeats = 0;
  readonly apiCalls = new Map<string, number>();
  /** Invocations of the control plane's functions (Lambda bills each). */
  lambdaInvocations = 0;
  metricsRequested = 0;
  throttled = 0;
  /** Describe* calls per virtual second (key = whole second since epoch). */
  readonly describeCallsBySecond = new Map<number, number>();

  countApiCall(service: string, action: string, nowMs: number): void {
    const key = `${service}:${action}`;
    this.apiCalls.set(key, (this.apiCalls.get(key) ?? 0) + 1);
    if (action.startsWith("Describe")) {
      const second = Math.floor(nowMs / 1000);
      this.describeCallsBySecond.set(second, (this.describeCallsBySecond.get(second) ?? 0) + 1);
    }
  }

  countForcedClose(instanceId: string, count: number, cause: ForcedCloseCause): void {
    this.forcedDisconnects += count;
    this.forcedDisconnectsBy[cause] += count;
    if (cause !== "crash") this.#cutInstances.add(instanceId);
  }

  /** Instances that still held connections when the load balancer or a termination cut them, whoever cut them. */
  get terminatedWithoutDrain(): number {
    return this.#cutInstances.size;
  }

  countReconnects(count: number, minute: number): void {
    while (this.reconnectsPerMinute.length <= minute) this.reconnectsPerMinute.push(0);
    this.reconnectsPerMinute[minute] = (this.reconnectsPerMinute[minute] ?? 0) + count;
  }

  get reconnects(): number {
    return this.reconnectsPerMinute.reduce((total, count) => total + count, 0);
  }

  get peakDescribePerSecond(): number {
    let peak = 0;
    for (const count of this.describeCallsBySecond.values()) peak = Math.max(peak, count);
    return peak;
  }

  get peakReconnectsPerMinute(): number {
    return this.reconnectsPerMinute.reduce((peak, count) => Math.max(peak, count), 0);
  }
}
