import type { Datapoint } from "../connections.ts";
import type { TargetState } from "../targets.ts";
import type { InstanceView } from "../types.ts";

/**
 * Where an instance stands for scaling. `serving`: in service and healthy in every target group.
 * `booting`: launched (or in service but not yet registered or past its first health check), so
 * capacity that is arriving. `draining`: leaving service (terminating, entering standby or
 * deregistering). `unhealthy`: in service but failing a health check, so not a seat either.
 */
export type ScalingRole = "serving" | "booting" | "draining" | "unhealthy";

const DRAINING_TARGET_STATES = new Set(["draining", "unhealthy.draining"]);
const ARRIVING_TARGET_STATES = new Set(["initial", "unused"]);

export function scalingRole(instance: InstanceView, targets: ReadonlyMap<string, TargetState> | undefined): ScalingRole {
  const lifecycle = instance.lifecycleState;
  const states = [...(targets?.values() ?? [])].map((target) => target.state);
  if (lifecycle.startsWith("Terminating") || lifecycle.includes("Standby") || states.some((state) => DRAINING_TARGET_STATES.has(state))) return "draining";
  if (lifecycle.startsWith("Pending")) return "booting";
  if (instance.healthStatus === "Unhealthy" || states.some((state) => state === "unhealthy" || state === "unavailable")) return "unhealthy";
  if (states.some((state) => ARRIVING_TARGET_STATES.has(state))) return "booting";
  return "serving";
}

export interface InstanceReading {
  readonly instanceId: string;
  readonly role: ScalingRole;
  /** The newest readable connection datapoint, if any in the lookback window. */
  readonly latest: Datapoint | undefined;
  /** Connections gained per second over the recent datapoints (undefined: too few to tell). */
  readonly growthPerSecond?: number | undefined;
}

/** Only this recent a stretch of an instance's datapoints tells its growth, and only if it spans at least the minimum. */
const GROWTH_WINDOW_MS = 120_000;
const GROWTH_MIN_SPAN_MS = 30_000;

/** (newest − oldest) / time over the datapoints of the last two minutes before the newest. */
export function growthPerSecond(points: readonly Datapoint[]): number | undefined {
  const newest = points.at(-1);
  if (newest === undefined) return undefined;
  const recent = points.filter((point) => newest.timestamp.getTime() - point.timestamp.getTime() <= GROWTH_WINDOW_MS);
  const oldest = recent[0];
  if (oldest === undefined) return undefined;
  const spanMs = newest.timestamp.getTime() - oldest.timestamp.getTime();
  return spanMs < GROWTH_MIN_SPAN_MS ? undefined : ((newest.value - oldest.value) * 1000) / spanMs;
}

/** What the publisher puts in namespace Ebb for one group; an absent value is not published. */
export interface FleetMetrics {
  readonly connectionsPerHealthyInstance: number | undefined;
  readonly totalConnections: number | undefined;
  readonly healthyInstances: number;
  readonly drainingConnections: number;
  readonly connectionSkew: number | undefined;
  /** Counted as seats in the denominator: capacity arriving. */
  readonly bootingInstances: number;
  /** Serving instances whose datapoint was missing or older than the staleness limit. */
  readonly unknownServing: readonly string[];
  /** The fleet's connection growth per second (what the predictive term extrapolates). */
  readonly growthPerSecond: number;
}

/**
 * The group's connection-aware scaling metrics from one reading of every instance.
 *
 * Denominator: serving instances plus booting ones. A booting instance is capacity the group has
 * already paid for and will get connections within a boot and one health check; counting it keeps
 * the alarm from asking again for capacity that is on its way. Draining and unhealthy instances
 * are no seats, but their connections are counted in the numerator: those clients need a seat
 * elsewhere, so a scale-in that starts draining does not make the metric fall.
 *
 * Missing or stale datapoints never count as 0. A serving instance without a fresh datapoint
 * takes the mean of the serving instances that have one (the load balancer spreads new
 * connections evenly); a draining, unhealthy or booting one carries its last value (or 0 when it
 * never published, as a booting app has not). With no fresh datapoint from any serving instance,
 * the per-instance, total and skew metrics are not published at all: the managed alarms then see
 * missing data, which target tracking never reads as low load.
 *
 * Predictive term: the per-instance metric counts the connections the fleet will hold
 * `lookaheadSeconds` ahead at its current growth (the sum of the instances' recent growth, growth
 * only). The policy sees a ramp only after CloudWatch's ingestion delay, three datapoints and a
 * boot; looking that far ahead starts the launches when the ramp starts instead.
 */
export function computeFleetMetrics(readings: readonly InstanceReading[], nowMs: number, staleAfterSeconds: number, lookaheadSeconds = 0): FleetMetrics {
  const isFresh = (reading: InstanceReading): boolean =>
    reading.latest !== undefined && nowMs - reading.latest.timestamp.getTime() <= staleAfterSeconds * 1000;
  const serving = readings.filter((reading) => reading.role === "serving");
  const fresh = serving.filter(isFresh).map((reading) => reading.latest?.value ?? 0);
  const carried = (role: ScalingRole): number =>
    readings.filter((reading) => reading.role === role).reduce((sum, reading) => sum + (reading.latest?.value ?? 0), 0);
  const drainingConnections = carried("draining");
  const bootingInstances = readings.filter((reading) => reading.role === "booting").length;
  const unknownServing = serving.filter((reading) => !isFresh(reading)).map((reading) => reading.instanceId);
  const growth = readings.reduce((sum, reading) => sum + (isFresh(reading) ? (reading.growthPerSecond ?? 0) : 0), 0);
  const base = { healthyInstances: serving.length, drainingConnections, bootingInstances, unknownServing, growthPerSecond: growth };
  if (fresh.length === 0) return { ...base, connectionsPerHealthyInstance: undefined, totalConnections: undefined, connectionSkew: undefined };
  const mean = fresh.reduce((sum, value) => sum + value, 0) / fresh.length;
  const totalConnections = mean * serving.length + drainingConnections + carried("unhealthy") + carried("booting");
  return {
    ...base,
    totalConnections,
    connectionsPerHealthyInstance: (totalConnections + Math.max(0, growth) * lookaheadSeconds) / (serving.length + bootingInstances),
    // All serving instances empty is perfectly even.
    connectionSkew: mean === 0 ? 1 : Math.max(...fresh) / mean,
  };
}
