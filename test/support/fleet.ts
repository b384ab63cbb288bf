import { scenarioConfigSchema, type ScenarioConfigInput } from "../../sim/config/schema.ts";
import { autoScalingService } from "../../emulator/autoscaling/actions/index.ts";
import { elasticLoadBalancingService } from "../../emulator/elbv2/actions/index.ts";
import type { Params } from "../../emulator/protocol/service-types.ts";
import { World } from "../../sim/world.ts";

/**
 * A world with a small, quiet fleet unless the test says otherwise (no churn, so counts are exact;
 * no API latency, so a call lands on the whole second the test names).
 */
export function makeWorld(input: ScenarioConfigInput = {}): World {
  return new World(
    scenarioConfigSchema.parse({
      ...input,
      fleet: { desiredCapacity: 3, ...input.fleet },
      clients: { sessions: 300, churnPerHour: 0, ...input.clients },
      aws: { apiLatencyMs: 0, ...input.aws },
    }),
  );
}

/** Calls an Auto Scaling action directly, as the protocol layer would after decoding. */
export const asg = (world: World, action: string, params: Params = {}) => {
  const handler = autoScalingService.actions[action];
  if (handler === undefined) throw new Error(`no handler for ${action}`);
  return handler(params, { world, requestId: world.nextRequestId() }) ?? {};
};

export const elb = (world: World, action: string, params: Params = {}) => {
  const handler = elasticLoadBalancingService.actions[action];
  if (handler === undefined) throw new Error(`no handler for ${action}`);
  return handler(params, { world, requestId: world.nextRequestId() }) ?? {};
};

export const targetGroupArn = (world: World): string => {
  const group = world.elb.targetGroups()[0];
  if (group === undefined) throw new Error("the scenario has no target group");
  return group.targetGroupArn;
};

export const groupName = (world: World): string => world.config.fleet.autoScalingGroupName;

export const instanceAt = (world: World, launchIndex: number) => {
  const instance = world.autoscaling.instanceByLaunchIndex(launchIndex);
  if (instance === undefined) throw new Error(`no instance ${launchIndex}`);
  return instance;
};

export const stateOf = (world: World, instanceId: string): string => world.elb.targetHealth(targetGroupArn(world), instanceId).state;

/** Advances one second at a time until `done` holds; returns the seconds it took. */
export function advanceUntil(world: World, done: () => boolean, limitSeconds = 7200): number {
  for (let seconds = 0; seconds <= limitSeconds; seconds++) {
    if (done()) return seconds;
    world.advance(1);
  }
  throw new Error(`condition not reached within ${limitSeconds} s`);
}
