import type { ScenarioConfig } from "../config/schema.ts";

export interface DeployShape {
  batches: number;
  targetVersion: string;
  bakeSeconds: number;
}

/**
 * The fastest any control plane could roll the fleet, from the physics alone: per batch, the
 * app sheds a steady-state instance's connections at its drain rate, the replacement boots, and
 * the target group sees `healthyThreshold` passing checks; plus the bake the user asked for.
 */
export function deployLowerBoundSeconds(config: ScenarioConfig, shape: DeployShape): number {
  const perInstance = config.fleet.desiredCapacity > 0 ? config.clients.sessions / config.fleet.desiredCapacity : 0;
  const drainSeconds = Math.ceil(perInstance / config.app.drainRatePerSecond);
  const bootSeconds = config.app.versions[shape.targetVersion]?.bootSeconds ?? 60;
  const { healthyThreshold, intervalSeconds } = config.targetGroup.healthCheck;
  return shape.batches * (drainSeconds + bootSeconds + healthyThreshold * intervalSeconds + shape.bakeSeconds);
}
