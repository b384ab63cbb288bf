import type { Stepper, World } from "../world.ts";

export interface TimelineSample {
  /** Virtual seconds since the scenario started. */
  t: number;
  healthyInstances: number;
  inServiceInstances: number;
  connectionsMin: number;
  connectionsMean: number;
  connectionsMax: number;
  forcedDisconnects: number;
  gracefulHandoffs: number;
}

export interface PhaseMark {
  t: number;
  batch: number | undefined;
  phase: string;
}

/** One batch's deregistration, as it happened: the lower bound's drains are measured from these. */
export interface BatchDrain {
  /** Virtual seconds since the scenario started, when the batch's first target was deregistered. */
  t: number;
  /** The batch and phase the strategy reported at that moment. */
  batch: number | undefined;
  phase: string | undefined;
  /** The version the group launches replacements with at that moment. */
  launchTemplateVersion: string;
  /** Connections each instance held as its deregistration began. */
  connections: Record<string, number>;
}

/**
 * Watches the world every physics step: the lowest healthy capacity is measured at every step
 * (a dip between samples must not hide), charts get one sample every `sampleEverySeconds`.
 */
export class Timeline implements Stepper {
  readonly samples: TimelineSample[] = [];
  readonly phases: PhaseMark[] = [];
  readonly drains: BatchDrain[] = [];
  minHealthyInstances = Number.POSITIVE_INFINITY;
  readonly #world: World;
  readonly #sampleEveryMs: number;
  readonly #startMs: number;
  /** The phase mark the last drain was recorded under. */
  #drainMark: PhaseMark | undefined;

  constructor(world: World, sampleEverySeconds: number) {
    this.#world = world;
    this.#sampleEveryMs = sampleEverySeconds * 1000;
    this.#startMs = world.clock.nowMs;
    world.observe(this);
    world.elb.watchDeregistrations((instanceId) => this.#recordDeregistration(instanceId));
    this.#sample(world.clock.nowMs);
  }

  step(nowMs: number): void {
    const healthy = this.#healthyInstances();
    this.minHealthyInstances = Math.min(this.minHealthyInstances, healthy);
    if ((nowMs - this.#startMs) % this.#sampleEveryMs === 0) this.#sample(nowMs);
  }

  markPhase(batch: number | undefined, phase: string): void {
    const t = (this.#world.clock.nowMs - this.#startMs) / 1000;
    const last = this.phases.at(-1);
    if (last && last.batch === batch && last.phase === phase) return;
    this.phases.push({ t, batch, phase });
  }

  /** Records the final state, so the charts end where the run ended. */
  finish(): void {
    this.#sample(this.#world.clock.nowMs);
  }

  /**
   * Deregistrations under one reported batch are that batch; without a batch (an ASG acting on its
   * own, Instance Refresh) those of the same second are.
   */
  #recordDeregistration(instanceId: string): void {
    const world = this.#world;
    const instance = world.autoscaling.instance(instanceId);
    if (instance === undefined) return;
    const t = (world.clock.nowMs - this.#startMs) / 1000;
    const mark = this.phases.at(-1);
    const last = this.drains.at(-1);
    const sameBatch = last !== undefined && this.#drainMark === mark && (mark?.batch !== undefined || Math.floor(last.t) === Math.floor(t));
    const drain: BatchDrain = sameBatch
      ? last
      : {
          t,
          batch: mark?.batch,
          phase: mark?.phase,
          launchTemplateVersion: world.autoscaling.group(instance.autoScalingGroupName)?.launchTemplate.version ?? instance.launchTemplate.version,
          connections: {},
        };
    if (!sameBatch) this.drains.push(drain);
    this.#drainMark = mark;
    drain.connections[instanceId] ??= world.clients.connectionsOf(instanceId);
  }

  #healthyInstances(): number {
    let healthy = 0;
    for (const targetGroup of this.#world.elb.targetGroups()) {
      healthy += this.#world.elb.healthCounts(targetGroup.targetGroupArn).healthy;
    }
    return healthy;
  }

  #sample(nowMs: number): void {
    const world = this.#world;
    const running = world.autoscaling.instances().filter((instance) => instance.ec2State === "running");
    const counts = running.map((instance) => world.clients.connectionsOf(instance.instanceId));
    const total = counts.reduce((sum, count) => sum + count, 0);
    const healthy = this.#healthyInstances();
    this.minHealthyInstances = Math.min(this.minHealthyInstances, healthy);
    this.samples.push({
      t: (nowMs - this.#startMs) / 1000,
      healthyInstances: healthy,
      inServiceInstances: running.filter((instance) => instance.lifecycleState === "InService").length,
      connectionsMin: counts.length ? Math.min(...counts) : 0,
      connectionsMean: counts.length ? Math.round(total / counts.length) : 0,
      connectionsMax: counts.length ? Math.max(...counts) : 0,
      forcedDisconnects: world.stats.forcedDisconnects,
      gracefulHandoffs: world.stats.gracefulHandoffs,
    });
  }
}
