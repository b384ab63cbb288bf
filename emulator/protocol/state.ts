import type { EmulatedAccount } from "../account.ts";

/** A JSON snapshot of the world for `GET /_ebb/state`: time, instances, target health, connections. */
export function worldState(world: EmulatedAccount): Record<string, unknown> {
  return {
    virtualTime: world.clock.now().toISOString(),
    elapsedSeconds: world.elapsedSeconds,
    instances: world.autoscaling.instances().map((instance) => ({
      instanceId: instance.instanceId,
      autoScalingGroupName: instance.autoScalingGroupName,
      availabilityZone: instance.availabilityZone,
      launchTemplateVersion: instance.launchTemplate.version,
      ec2State: instance.ec2State,
      lifecycleState: instance.lifecycleState,
      healthStatus: instance.healthStatus,
      connections: world.physics.connectionsOf(instance.instanceId),
    })),
    targetGroups: world.elb.targetGroups().map((group) => ({
      targetGroupArn: group.targetGroupArn,
      name: group.targetGroupName,
      targets: [...group.targets.keys()].map((instanceId) => ({ instanceId, ...world.elb.targetHealth(group.targetGroupArn, instanceId) })),
    })),
    connections: { total: world.physics.totalConnections() },
    aws: { apiCalls: Object.fromEntries(world.stats.apiCalls), throttled: world.stats.throttled },
  };
}
