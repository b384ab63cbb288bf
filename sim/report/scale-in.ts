import type { World } from "../world.ts";

/** The termination cause the emulated ASG gives a scale in (emulator/autoscaling/model.ts). */
const SCALE_IN_CAUSE = "the desired capacity was lowered";

/** One instance a scale in chose, with what it and the rest of its zone held at that moment. */
export interface ScaleInVictim {
  instanceId: string;
  availabilityZone: string;
  connections: number;
  /** How many in-service instances of its zone held fewer connections when it was chosen (0: it was the quietest). */
  quieterInZone: number;
}

/** What the scale ins of a run took away: whose connections had to move. */
export interface ScaleInSummary {
  /** The termination policies the group had at the end. */
  terminationPolicies: string[];
  victims: ScaleInVictim[];
  /** Connections the victims held when they were chosen: every one has to move (handed off or cut). */
  connectionsMoved: number;
  /** Victims for which a quieter in-service instance of the same zone was left running. */
  notQuietest: number;
  /** Invocations of a Lambda termination policy, and how many failed or timed out. */
  policyInvocations: number;
  policyFailures: number;
}

/**
 * Watches every physics step for instances the ASG starts terminating for a lower desired
 * capacity, and records what they held against the rest of their zone at that moment (a
 * scale-in victim is chosen per zone, so that is the comparison that counts).
 */
export class ScaleInWatch {
  readonly #world: World;
  readonly #seen = new Set<string>();
  readonly #victims: ScaleInVictim[] = [];

  constructor(world: World) {
    this.#world = world;
    world.observe(this);
  }

  step(): void {
    const { autoscaling, clients } = this.#world;
    for (const group of autoscaling.groups()) {
      const live = autoscaling.liveInstances(group);
      const chosen = live.filter((instance) => instance.terminationCause === SCALE_IN_CAUSE && !this.#seen.has(instance.instanceId));
      for (const victim of chosen) {
        this.#seen.add(victim.instanceId);
        const connections = clients.connectionsOf(victim.instanceId);
        const quieterInZone = live.filter(
          (other) => other.lifecycleState === "InService" && other.availabilityZone === victim.availabilityZone && clients.connectionsOf(other.instanceId) < connections,
        ).length;
        this.#victims.push({ instanceId: victim.instanceId, availabilityZone: victim.availabilityZone, connections, quieterInZone });
      }
    }
  }

  summary(): ScaleInSummary {
    const invocations = this.#world.autoscaling.terminationPolicies.invocations();
    return {
      terminationPolicies: [...(this.#world.autoscaling.groups()[0]?.terminationPolicies ?? [])],
      victims: [...this.#victims],
      connectionsMoved: this.#victims.reduce((sum, victim) => sum + victim.connections, 0),
      notQuietest: this.#victims.filter((victim) => victim.quieterInZone > 0).length,
      policyInvocations: invocations.length,
      policyFailures: invocations.filter((invocation) => invocation.outcome !== undefined && "failure" in invocation.outcome).length,
    };
  }
}
