import type { AutoScalingModel } from "./autoscaling/model.ts";
import type { VirtualClock } from "./clock.ts";
import type { CloudWatchModel } from "./cloudwatch/model.ts";
import type { LoadBalancingModel } from "./elbv2/model.ts";
import type { EventBus } from "./events/bus.ts";
import type { ApiFaults, InstanceConnections, UsageCounters } from "./ports.ts";
import type { SsmModel } from "./ssm/model.ts";
import type { InstanceStatusChecks } from "./ec2/status-checks.ts";

/** Who and where the emulated services run, and when: the one thing every service model reads of the account. */
export interface AccountContext {
  readonly accountId: string;
  readonly region: string;
  readonly clock: VirtualClock;
  /** Deterministic request ids, in AWS's UUID shape. */
  nextRequestId(): string;
}

/**
 * The account's one seeded random stream. Every draw, whichever service makes it, comes from the
 * same stream, so the same seed replays the same run.
 */
export interface RandomSource {
  /** Uniform in [0, 1). */
  next(): number;
  int(minInclusive: number, maxInclusive: number): number;
  chance(probability: number): boolean;
}

/**
 * The whole emulated account as the protocol layer and the wire actions see it: every service
 * model, the counters and faults the router applies, the connections the admin state shows, and
 * the way virtual time moves. Whoever composes the account (the simulation's World) implements it.
 */
export interface EmulatedAccount extends AccountContext {
  readonly rng: RandomSource;
  readonly events: EventBus;
  readonly cloudwatch: CloudWatchModel;
  readonly elb: LoadBalancingModel;
  readonly autoscaling: AutoScalingModel;
  readonly ssm: SsmModel;
  readonly ec2Status: InstanceStatusChecks;
  readonly stats: UsageCounters;
  readonly faults: ApiFaults;
  readonly physics: InstanceConnections;
  /** Seconds of virtual time since the account's start. */
  readonly elapsedSeconds: number;
  /** Moves virtual time forward, running every physics step that is crossed. */
  advance(seconds: number): void;
  advanceTo(targetMs: number): void;
}
