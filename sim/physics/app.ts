import type { World } from "../world.ts";
import type { FleetInstance } from "../../emulator/autoscaling/types.ts";

/**
 * The app on an instance, as the load balancer sees it. Whether it is up depends only on the
 * instance (running, booted, not crashed); whether it reports ready also depends on the release
 * and on injected faults (a shared dependency outage, flapping).
 */
export const appIsUp = (instance: FleetInstance, nowMs: number): boolean =>
  instance.ec2State === "running" && !instance.crashed && !instance.bootFailed && nowMs >= instance.bootedAtMs;

export const passesHealthCheck = (world: World, instance: FleetInstance, nowMs: number): boolean =>
  appIsUp(instance, nowMs) && instance.versionHealthy && !world.faults.healthCheckForcedFailing(instance, nowMs);
