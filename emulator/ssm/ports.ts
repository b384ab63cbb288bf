import type { AccountContext, RandomSource } from "../account.ts";
import type { FleetInstance } from "../autoscaling/types.ts";
import type { InstanceShell, SsmFaults } from "../ports.ts";

/** The instances SSM can reach, as EC2 reports them. */
export interface ManagedInstances {
  instance(instanceId: string): Pick<FleetInstance, "launchIndex" | "ec2State" | "launchTimeMs" | "crashed"> | undefined;
  instances(): readonly Pick<FleetInstance, "instanceId" | "ec2State" | "launchTimeMs">[];
}

/** What Systems Manager reads of the world: the account, the instances, their shells, and injected Run Command failures. */
export interface SsmWorld extends AccountContext {
  readonly rng: RandomSource;
  readonly autoscaling: ManagedInstances;
  readonly physics: InstanceShell;
  readonly faults: SsmFaults;
}

/** How long the SSM Agent takes: a drawn duration lies uniformly between its two bounds (milliseconds). */
export interface SsmSettings {
  /** Seconds from launch until the agent is registered; before that SendCommand answers InvalidInstanceId. */
  readonly agentStartSeconds: number;
  /** From SendCommand until the agent picks the invocation up (Pending until then). */
  readonly deliveryMs: readonly [number, number];
  /** From pickup until the agent reports the script's result (InProgress until then). */
  readonly executionMs: readonly [number, number];
}
