import type { FleetInstance } from "../../emulator/autoscaling/types.ts";
import type { World } from "../world.ts";
import type { BatchDrain } from "./timeline.ts";

/** The scenario's group as the run left it: what a deploy promises to leave consistent. */
export interface FleetAtEnd {
  /** InService and running, but deregistered during the run and not registered back in a target group it belongs in, or its app still told to drain. */
  deregisteredButRunning: number;
  /** InService and running, missing from a target group it belongs in without ever having been deregistered (never registered). */
  unregisteredInService: number;
  /** Running instances not on their way out, by launch template version. */
  versions: Record<string, number>;
  /** The version the group launches. */
  launchTemplateVersion: string;
  desiredCapacity: number;
  maxSize: number;
  suspendedProcesses: string[];
  /** The control plane's deploy lock on the group is still in its table. */
  lockHeld: boolean;
}

const isLeaving = (instance: FleetInstance): boolean => instance.lifecycleState.startsWith("Terminat");

/** Not registered, or deregistering (`draining`, and `unhealthy.draining` where the model has it). */
const notRegistered = (state: string): boolean => state === "unused" || state.endsWith("draining");

export function fleetAtEnd(world: World, drains: readonly BatchDrain[], lockHeld: boolean): FleetAtEnd {
  const name = world.config.fleet.autoScalingGroupName;
  const group = world.autoscaling.group(name);
  if (group === undefined) throw new Error(`the scenario's group ${name} is gone`);
  // With Ebb registering targets the group has none attached: its instances belong in the load balancer's.
  const belongsIn = group.targetGroupArns.length > 0 ? group.targetGroupArns : world.elb.targetGroups().map((targetGroup) => targetGroup.targetGroupArn);
  const deregistered = new Set(drains.flatMap((drain) => Object.keys(drain.connections)));
  const versions: Record<string, number> = {};
  let deregisteredButRunning = 0;
  let unregisteredInService = 0;
  for (const instance of world.autoscaling.liveInstances(group)) {
    if (instance.ec2State !== "running" || isLeaving(instance)) continue;
    const version = instance.launchTemplate.version;
    versions[version] = (versions[version] ?? 0) + 1;
    if (instance.lifecycleState !== "InService") continue;
    const id = instance.instanceId;
    const missing = belongsIn.some((arn) => notRegistered(world.elb.targetState(arn, id)));
    if ((missing && deregistered.has(id)) || world.clients.isDraining(id)) deregisteredButRunning += 1;
    else if (missing) unregisteredInService += 1;
  }
  return {
    deregisteredButRunning,
    unregisteredInService,
    versions,
    launchTemplateVersion: group.launchTemplate.version,
    desiredCapacity: group.desiredCapacity,
    maxSize: group.maxSize,
    suspendedProcesses: [...group.suspendedProcesses.keys()].sort(),
    lockHeld,
  };
}
