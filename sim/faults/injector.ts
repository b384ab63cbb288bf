import type { FaultsConfig } from "../config/schema.ts";
import type { FleetInstance } from "../../emulator/autoscaling/types.ts";
import type { LambdaFaultKind } from "../../emulator/stepfunctions/index.ts";
import { serviceCatalog } from "../../emulator/protocol/catalog.ts";
import type { ServiceName } from "../../emulator/protocol/service-types.ts";
import type { InvocationFault } from "../../emulator/ssm/types.ts";
import type { ApiFaultKind, ApiFaults, SsmFaults } from "../../emulator/ports.ts";
import type { World } from "../world.ts";

/** A service's own transient error applies only to the actions its API reference lists it for. */
const faultApplies = (service: ServiceName, action: string, kind: ApiFaultKind): boolean => {
  if (kind === "throttle" || kind === "server-error") return true;
  const actions = serviceCatalog[service].transientErrors?.[kind]?.actions;
  return actions === undefined || actions.includes(action);
};

/** A scheduled fault (crash or forced alarm state) and what happened when its time came. */
export interface FiredFault {
  readonly kind: "crash" | "alarm" | "capacity";
  readonly atMs: number;
  readonly target: string;
  /** "applied", or why it could not be (no such instance or alarm at that time). */
  readonly outcome: string;
}

/**
 * The scenario's faults, on the virtual clock: API errors drawn from the world's seeded random
 * stream, flapping health checks and shared outages by time window, and crashes and forced
 * alarm states that fire once at their time.
 */
export class FaultInjector implements ApiFaults, SsmFaults {
  readonly #world: World;
  readonly #config: FaultsConfig;
  readonly #pendingCrashes: FaultsConfig["crashes"];
  readonly #pendingAlarms: FaultsConfig["alarms"];
  readonly #pendingCapacity: FaultsConfig["capacityChanges"];
  readonly #fired: FiredFault[] = [];
  /** Invocations each faults.ssm entry has covered per instance (for `times`). */
  readonly #ssmInvocations = new Map<string, number>();

  constructor(world: World) {
    this.#world = world;
    this.#config = world.config.faults;
    this.#pendingCrashes = [...this.#config.crashes].sort((left, right) => left.atSeconds - right.atSeconds);
    this.#pendingAlarms = [...this.#config.alarms].sort((left, right) => left.atSeconds - right.atSeconds);
    this.#pendingCapacity = [...this.#config.capacityChanges].sort((left, right) => left.atSeconds - right.atSeconds);
  }

  /** Whether this call fails, and how. Only calls that a configured fault covers consume randomness. */
  apiFault(service: ServiceName, action: string): ApiFaultKind | undefined {
    for (const fault of this.#config.api) {
      if (fault.service !== service || (fault.action !== "*" && fault.action !== action) || !faultApplies(service, action, fault.kind)) continue;
      if (this.#world.rng.chance(fault.rate)) return fault.kind;
    }
    return undefined;
  }

  /** How a Run Command invocation on this instance fails, if a faults.ssm entry covers it (drawn per invocation). */
  ssmFault(instance: Pick<FleetInstance, "launchIndex">): InvocationFault | undefined {
    for (const [index, fault] of this.#config.ssm.entries()) {
      if (fault.instanceIndex !== undefined && fault.instanceIndex !== instance.launchIndex) continue;
      const key = `${index}:${instance.launchIndex}`;
      const seen = this.#ssmInvocations.get(key) ?? 0;
      this.#ssmInvocations.set(key, seen + 1);
      if (fault.times !== undefined && seen >= fault.times) continue;
      if (this.#world.rng.chance(fault.rate)) return fault.outcome;
    }
    return undefined;
  }

  /** The app on this instance never comes up (faults.neverHealthy). */
  neverHealthy(launchIndex: number): boolean {
    return this.#config.neverHealthy.includes(launchIndex);
  }

  /** Whether Lambda ends this invocation of the function, and how (only covered calls consume randomness). */
  lambdaFault(functionName: string): LambdaFaultKind | undefined {
    for (const fault of this.#config.lambda) {
      if (fault.function === functionName && this.#world.rng.chance(fault.rate)) return fault.kind;
    }
    return undefined;
  }

  /** Every Ebb function fails now (faults.controlPlaneOutages). */
  controlPlaneDown(nowMs: number): boolean {
    return this.#config.controlPlaneOutages.some((window) => this.#inWindow(window, nowMs));
  }

  sharedOutageActive(nowMs: number): boolean {
    return this.#config.sharedOutages.some((window) => this.#inWindow(window, nowMs));
  }

  /**
   * True when the instance's health check must fail now: during a shared outage or an outage of
   * its zone, while it is one of the failing instances, or in the failing half of a flapping
   * cycle (each cycle fails for periodSeconds, then passes for periodSeconds, starting with a
   * failure when the window opens).
   */
  healthCheckForcedFailing(instance: Pick<FleetInstance, "launchIndex" | "availabilityZone">, nowMs: number): boolean {
    if (this.sharedOutageActive(nowMs)) return true;
    if (this.#config.zoneOutages.some((outage) => outage.availabilityZone === instance.availabilityZone && this.#inWindow(outage, nowMs))) return true;
    if (this.#config.unhealthy.some((fault) => fault.instanceIndex === instance.launchIndex && this.#inWindow(fault, nowMs))) return true;
    return this.#config.flapping.some((flap) => {
      if (flap.instanceIndex !== instance.launchIndex || !this.#inWindow(flap, nowMs)) return false;
      const intoWindowSeconds = this.#elapsedSeconds(nowMs) - flap.atSeconds;
      return Math.floor(intoWindowSeconds / flap.periodSeconds) % 2 === 0;
    });
  }

  /** What the scheduled faults did so far, for reports and tests. */
  fired(): readonly FiredFault[] {
    return this.#fired;
  }

  step(nowMs: number): void {
    const elapsedSeconds = this.#elapsedSeconds(nowMs);
    while ((this.#pendingCrashes[0]?.atSeconds ?? Number.POSITIVE_INFINITY) <= elapsedSeconds) {
      const crash = this.#pendingCrashes.shift();
      if (crash) this.#crash(crash.instanceIndex, nowMs);
    }
    while ((this.#pendingAlarms[0]?.atSeconds ?? Number.POSITIVE_INFINITY) <= elapsedSeconds) {
      const forced = this.#pendingAlarms.shift();
      if (forced) this.#forceAlarm(forced.alarmName, forced.state, nowMs);
    }
    while ((this.#pendingCapacity[0]?.atSeconds ?? Number.POSITIVE_INFINITY) <= elapsedSeconds) {
      const change = this.#pendingCapacity.shift();
      if (change) this.#changeCapacity(change.desiredCapacity, nowMs);
    }
  }

  /** As SetDesiredCapacity does it (Amazon EC2 Auto Scaling API Reference): within MinSize..MaxSize, or rejected. */
  #changeCapacity(desiredCapacity: number, nowMs: number): void {
    const name = this.#world.config.fleet.autoScalingGroupName;
    const group = this.#world.autoscaling.group(name);
    const fire = (outcome: string): void => {
      this.#fired.push({ kind: "capacity", atMs: nowMs, target: `${name} desired ${desiredCapacity}`, outcome });
    };
    if (group === undefined) return fire("no such group");
    if (desiredCapacity > group.maxSize || desiredCapacity < group.minSize) return fire(`rejected: outside ${group.minSize}..${group.maxSize}`);
    // Setting the value the group already has changes nothing and starts no scaling activity: nobody can tell it happened.
    if (desiredCapacity === group.desiredCapacity) return fire("unchanged: the group was already at it");
    group.desiredCapacity = desiredCapacity;
    fire("applied");
  }

  #crash(instanceIndex: number, nowMs: number): void {
    const instance = this.#world.autoscaling.instanceByLaunchIndex(instanceIndex);
    if (!instance) {
      this.#fired.push({ kind: "crash", atMs: nowMs, target: `launch index ${instanceIndex}`, outcome: "no instance with that launch index" });
      return;
    }
    this.#world.autoscaling.crashInstance(instance.instanceId);
    this.#fired.push({ kind: "crash", atMs: nowMs, target: instance.instanceId, outcome: "applied" });
  }

  #forceAlarm(alarmName: string, state: "OK" | "ALARM" | "INSUFFICIENT_DATA", nowMs: number): void {
    if (!this.#world.cloudwatch.alarm(alarmName)) {
      this.#fired.push({ kind: "alarm", atMs: nowMs, target: alarmName, outcome: "no such alarm" });
      return;
    }
    this.#world.cloudwatch.setAlarmState(alarmName, state, `Fault injection: alarm forced to ${state} by the scenario`);
    this.#fired.push({ kind: "alarm", atMs: nowMs, target: alarmName, outcome: "applied" });
  }

  /** Of `nowMs`, not of the clock: health checks ask about their own scheduled time. */
  #elapsedSeconds(nowMs: number): number {
    return (nowMs - this.#world.startMs) / 1000;
  }

  #inWindow(window: { atSeconds: number; durationSeconds: number }, nowMs: number): boolean {
    const elapsedSeconds = this.#elapsedSeconds(nowMs);
    return elapsedSeconds >= window.atSeconds && elapsedSeconds < window.atSeconds + window.durationSeconds;
  }
}
