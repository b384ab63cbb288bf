import { appVersionSchema } from "../config/schema.ts";
import type { FleetPhysics } from "../../emulator/ports.ts";
import type { World } from "../world.ts";
import { healthCheckOutcome, isReachable } from "./app.ts";
import { runShellScript } from "./shell.ts";

/**
 * The physics behind the AWS models' ports. Each call reaches into the world when it is made,
 * so the models can be built before the client population they ask about.
 */
export function fleetPhysics(world: World): FleetPhysics {
  const defaultVersion = appVersionSchema.parse({});
  return {
    connectionsOf: (instanceId) => world.clients.connectionsOf(instanceId),
    totalConnections: () => world.clients.totalConnections(),
    forceCloseAll: (instanceId, cause) => {
      world.clients.forceCloseAll(instanceId, cause);
    },
    healthCheckOutcome: (instanceId, atMs) => healthCheckOutcome(world, world.autoscaling.instance(instanceId), atMs),
    runShellScript: (instanceId, commands) => runShellScript(world, instanceId, commands),
    reachable: (instanceId) => isReachable(world.autoscaling.instance(instanceId)),
    bootProfile: (launchTemplateVersion) => world.config.app.versions[launchTemplateVersion] ?? defaultVersion,
  };
}
