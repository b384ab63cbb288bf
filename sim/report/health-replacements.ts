import { HEALTH_REPLACEMENT_CAUSE } from "../../emulator/autoscaling/instance-lifecycle.ts";
import type { World } from "../world.ts";

/**
 * Counts, from the physics alone, the instances taken out of service because they were failing:
 * an instance that starts terminating while crashed, marked Unhealthy by the ASG, or last seen
 * unhealthy by a target group before it left the load balancer. Whoever asked (Ebb's
 * remediation or the ASG's own health replacement) is told apart by the termination's activity
 * cause, so a run without Ebb compares one to one and neither is credited with the other's.
 */
export class HealthReplacementWatch {
  readonly #world: World;
  /** instanceId → its last target state while registered (not draining or unused), per target group. */
  readonly #lastServing = new Map<string, Set<string>>();
  readonly #counted = new Set<string>();
  readonly replaced: string[] = [];

  constructor(world: World) {
    this.#world = world;
  }

  step(): void {
    const { autoscaling, elb } = this.#world;
    for (const group of autoscaling.groups()) {
      for (const instance of autoscaling.liveInstances(group)) {
        const id = instance.instanceId;
        if (instance.lifecycleState.startsWith("Terminat")) {
          if (this.#counted.has(id)) continue;
          this.#counted.add(id);
          const failing = instance.crashed || instance.healthStatus === "Unhealthy" || (this.#lastServing.get(id)?.has("unhealthy") ?? false);
          if (failing) {
            this.replaced.push(id);
            if (instance.terminationCause === HEALTH_REPLACEMENT_CAUSE) this.#world.stats.replacedByAsg += 1;
            else this.#world.stats.remediated += 1;
          }
          continue;
        }
        const states = new Set<string>();
        for (const targetGroup of elb.targetGroups()) {
          const state = elb.targetState(targetGroup.targetGroupArn, id);
          if (state !== "unused" && !state.endsWith("draining")) states.add(state);
        }
        if (states.size > 0) this.#lastServing.set(id, states);
      }
    }
  }
}
