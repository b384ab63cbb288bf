import type { Stepper, World } from "../world.ts";

export interface ScalingSummary {
  /** The stage's target for ConnectionsPerHealthyInstance (the cpu-policy run is measured against the same one). */
  targetConnectionsPerInstance: number;
  /**
   * The fleet's connections per serving instance (healthy in every target group, not leaving), the quantity target
   * tracking holds at its target, sampled every second: time-weighted p95.
   */
  p95ConnectionsPerInstance: number;
  /** What single instances hold: p95 over every second of every serving instance (sticky connections stay where they landed). */
  p95InstanceConnections: number;
  maxConnectionsPerInstance: number;
  /** Running EC2 instances × minutes (what the fleet cost). */
  instanceMinutes: number;
  peakInstances: number;
  /** Raises and lowerings of the desired capacity. */
  scaleOuts: number;
  scaleIns: number;
  /** Connections closed by force by the load balancer or a termination: in a traffic run only scale in terminates. */
  forcedDisconnects: number;
}

/** Watches a traffic run every physics step: connections per serving instance, instance time, scaling activities. */
export class ScalingObserver implements Stepper {
  readonly #world: World;
  readonly #target: number;
  /** Connections held → serving instance-seconds at that count. */
  readonly #histogram = new Map<number, number>();
  #samples = 0;
  /** Rounded fleet connections per serving instance → seconds at that value. */
  readonly #fleetHistogram = new Map<number, number>();
  #fleetSamples = 0;
  #max = 0;
  #instanceSeconds = 0;
  #peakInstances = 0;
  #scaleOuts = 0;
  #scaleIns = 0;
  readonly #desired = new Map<string, number>();

  constructor(world: World, targetConnectionsPerInstance: number) {
    this.#world = world;
    this.#target = targetConnectionsPerInstance;
    for (const group of world.autoscaling.groups()) this.#desired.set(group.autoScalingGroupName, group.desiredCapacity);
    world.observe(this);
  }

  step(): void {
    const world = this.#world;
    const targetGroups = world.elb.targetGroups();
    for (const group of world.autoscaling.groups()) {
      const before = this.#desired.get(group.autoScalingGroupName) ?? group.desiredCapacity;
      if (group.desiredCapacity > before) this.#scaleOuts += 1;
      if (group.desiredCapacity < before) this.#scaleIns += 1;
      this.#desired.set(group.autoScalingGroupName, group.desiredCapacity);
      let running = 0;
      let servingInstances = 0;
      let servingConnections = 0;
      for (const instance of world.autoscaling.liveInstances(group)) {
        if (instance.ec2State === "running") running += 1;
        // Healthy in every target group is what the load balancer routes to (a launch hook may still hold it in Pending:Wait).
        const serving =
          !instance.lifecycleState.startsWith("Terminating") &&
          targetGroups.length > 0 &&
          targetGroups.every((targetGroup) => world.elb.targetState(targetGroup.targetGroupArn, instance.instanceId) === "healthy");
        if (!serving) continue;
        const connections = world.clients.connectionsOf(instance.instanceId);
        this.#histogram.set(connections, (this.#histogram.get(connections) ?? 0) + 1);
        this.#samples += 1;
        this.#max = Math.max(this.#max, connections);
        servingInstances += 1;
        servingConnections += connections;
      }
      if (servingInstances > 0) {
        const perInstance = Math.round(servingConnections / servingInstances);
        this.#fleetHistogram.set(perInstance, (this.#fleetHistogram.get(perInstance) ?? 0) + 1);
        this.#fleetSamples += 1;
      }
      this.#instanceSeconds += running;
      this.#peakInstances = Math.max(this.#peakInstances, running);
    }
  }

  summary(): ScalingSummary {
    const forced = this.#world.stats.forcedDisconnectsBy;
    return {
      targetConnectionsPerInstance: this.#target,
      p95ConnectionsPerInstance: percentile(this.#fleetHistogram, this.#fleetSamples, 0.95),
      p95InstanceConnections: percentile(this.#histogram, this.#samples, 0.95),
      maxConnectionsPerInstance: this.#max,
      instanceMinutes: Math.round(this.#instanceSeconds / 60),
      peakInstances: this.#peakInstances,
      scaleOuts: this.#scaleOuts,
      scaleIns: this.#scaleIns,
      forcedDisconnects: forced.termination + forced["deregistration-delay"],
    };
  }
}

/** Nearest rank over a histogram of value → seconds. */
function percentile(histogram: ReadonlyMap<number, number>, samples: number, rank: number): number {
  const wanted = Math.ceil(rank * samples);
  let seen = 0;
  for (const [value, count] of [...histogram].sort(([a], [b]) => a - b)) {
    seen += count;
    if (seen >= wanted) return value;
  }
  return 0;
}
