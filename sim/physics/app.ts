import type { World } from "../world.ts";
import type { FleetInstance } from "../../emulator/autoscaling/types.ts";
import type { HealthCheckOutcome } from "../../emulator/elbv2/target-group.ts";

/**
 * The app on an instance, as the load balancer sees it. Whether it is up depends only on the
 * instance (running, booted, not crashed); whether it reports ready also depends on the release
 * and on injected faults (a shared dependency outage, flapping).
 */
export const appIsUp = (instance: FleetInstance, nowMs: number): boolean =>
  instance.ec2State === "running" && !instance.crashed && !instance.bootFailed && nowMs >= instance.bootedAtMs;

/**
 * Whether the host answers at the network level (EC2's reachability check): the OS of a running
 * instance does, whatever its app does; a crashed host does not. A boot failure here is the app's,
 * not the kernel's, so it stays reachable.
 */
export const isReachable = (instance: FleetInstance | undefined): boolean => instance !== undefined && instance.ec2State === "running" && !instance.crashed;

/**
 * What the load balancer's health check gets: nothing within the timeout from an app that is not
 * up (still booting, crashed, never booted, instance not running), a 503 from one that is up but
 * not ready (a bad release, a shared dependency down, flapping), else the expected 200.
 */
export const healthCheckOutcome = (world: World, instance: FleetInstance | undefined, nowMs: number): HealthCheckOutcome => {
  if (instance === undefined || !appIsUp(instance, nowMs)) return "timeout";
  if (!instance.versionHealthy || world.faults.healthCheckForcedFailing(instance, nowMs)) return "response-code-mismatch";
  return "passed";
};
