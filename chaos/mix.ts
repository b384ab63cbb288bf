import { readdirSync } from "node:fs";
import fc from "fast-check";
import type { FaultsConfig } from "../sim/config/schema.ts";

/**
 * One chaos run: a workload (a deploy, a lifecycle scale in or out, remediation of a serving
 * fleet) on a small fleet, and a random mix of the faults the simulator supports. Everything a
 * run does follows from this value, so a failing run is replayed from it (or from its seed and
 * index, which draw it again).
 */
export type Workload = "deploy" | "scale-in" | "scale-out" | "remediation";

export interface ChaosCase {
  workload: Workload;
  /** The scenario's own seed (the emulator's random stream). */
  scenarioSeed: number;
  desiredCapacity: number;
  sessions: number;
  /** `ebb`: Ebb's lifecycle hooks register targets and drain the terminating; `asg`: the target group is attached. */
  targetRegistration: "asg" | "ebb";
  deregistrationDelaySeconds: number;
  terminationPolicy: "default" | "ebb";
  /** Deploys only. */
  deploy?: { mode: "replace" | "surge"; batchSize: string | number; minHealthyPercent: number; badRelease: boolean; rollbackAlarmAtSeconds?: number };
  /** Scale runs only: the new desired capacity. */
  scaleTo?: number;
  bootFailureRate: number;
  faults: Omit<FaultsConfig, "alarms" | "ssm">;
}

/** The run starts once the fleet has warmed up (a minute plus CloudWatch's ingestion delay). */
const RUN_STARTS_AT = 120;
const FUNCTIONS = readdirSync(new URL("../functions/", import.meta.url))
  .filter((file) => file.endsWith(".ts"))
  .map((file) => file.slice(0, -3))
  .sort();
const SERVICES = ["autoscaling", "elasticloadbalancing", "monitoring", "ec2", "ssm", "states"] as const;

const someOf = <T>(arbitrary: fc.Arbitrary<T>, maxLength: number, emptyWeight = 2): fc.Arbitrary<T[]> =>
  fc.oneof({ arbitrary: fc.constant([] as T[]), weight: emptyWeight }, { arbitrary: fc.array(arbitrary, { minLength: 1, maxLength }), weight: 1 });
const percent = (min: number, max: number): fc.Arbitrary<number> => fc.integer({ min, max }).map((value) => value / 100);
/** A moment in the first quarter of an hour of the run. */
const during = fc.integer({ min: RUN_STARTS_AT, max: RUN_STARTS_AT + 900 });
const windowFields = (minSeconds: number, maxSeconds: number) => ({ atSeconds: during, durationSeconds: fc.integer({ min: minSeconds, max: maxSeconds }) });
const window = (minSeconds: number, maxSeconds: number) => fc.record(windowFields(minSeconds, maxSeconds));

const apiFault = fc.oneof(
  fc.record({ service: fc.constantFrom(...SERVICES), action: fc.constant("*"), kind: fc.constantFrom("throttle" as const, "server-error" as const), rate: percent(1, 30) }),
  fc.record({ service: fc.constant("autoscaling" as const), action: fc.constant("*"), kind: fc.constantFrom("resource-contention" as const, "scaling-activity-in-progress" as const), rate: percent(1, 30) }),
);
const lambdaFault = fc.record({ function: fc.constantFrom(...FUNCTIONS), kind: fc.constantFrom("timeout" as const, "out-of-memory" as const), rate: percent(1, 30) });
const events = fc.oneof(
  { arbitrary: fc.constant({ duplicateRate: 0, delaySeconds: 0, dropRate: 0, jitterSeconds: 0 }), weight: 1 },
  { arbitrary: fc.record({ duplicateRate: percent(0, 100), delaySeconds: fc.integer({ min: 0, max: 30 }), dropRate: percent(0, 30), jitterSeconds: fc.integer({ min: 0, max: 30 }) }), weight: 2 },
);

/** Faults every workload can meet. */
const commonFaults = (desired: number) =>
  fc.record({
    api: someOf(apiFault, 4, 1),
    lambda: someOf(lambdaFault, 2),
    // Minutes, and short of the hooks' 300 s HeartbeatTimeout less a reconcile period: longer, the actions time out to their default by design.
    controlPlaneOutages: someOf(window(60, 180), 1, 3),
    crashes: someOf(fc.record({ atSeconds: during, instanceIndex: fc.integer({ min: 0, max: desired - 1 }) }), 2, 3),
    sharedOutages: someOf(window(60, 600), 1, 3),
    events,
  });

const shape = fc.record({
  desiredCapacity: fc.integer({ min: 3, max: 6 }),
  sessionsPerInstance: fc.integer({ min: 50, max: 400 }),
  scenarioSeed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
  targetRegistration: fc.constantFrom("asg" as const, "ebb" as const),
  deregistrationDelaySeconds: fc.constantFrom(300, 300, 120, 30, 10),
  terminationPolicy: fc.constantFrom("default" as const, "ebb" as const),
  bootFailureRate: fc.oneof({ arbitrary: fc.constant(0), weight: 2 }, { arbitrary: percent(5, 30), weight: 1 }),
});

const none = { flapping: [], unhealthy: [], zoneOutages: [], neverHealthy: [], capacityChanges: [] };

const deployCase = shape.chain((base) =>
  fc
    .record({
      common: commonFaults(base.desiredCapacity),
      mode: fc.constantFrom("replace" as const, "replace" as const, "surge" as const),
      batchSize: fc.constantFrom<string | number>("25%", "50%", 1, 2),
      minHealthyPercent: fc.constantFrom(50, 60, 75),
      badRelease: fc.integer({ min: 0, max: 6 }).map((draw) => draw === 0),
      rollbackAlarmAtSeconds: fc.option(during, { nil: undefined, freq: 3 }),
      // Someone else scales the group mid-deploy; a scale in only where Ebb's terminate hook drains it.
      capacityDelta: fc.integer({ min: base.targetRegistration === "ebb" ? -2 : 0, max: 3 }),
      capacityAt: during,
      neverHealthy: someOf(fc.integer({ min: base.desiredCapacity, max: base.desiredCapacity * 3 }), 2, 3),
    })
    .map((draw): ChaosCase => ({
      workload: "deploy",
      scenarioSeed: base.scenarioSeed,
      desiredCapacity: base.desiredCapacity,
      sessions: base.desiredCapacity * base.sessionsPerInstance,
      targetRegistration: base.targetRegistration,
      deregistrationDelaySeconds: base.deregistrationDelaySeconds,
      terminationPolicy: base.terminationPolicy,
      bootFailureRate: base.bootFailureRate,
      deploy: {
        mode: draw.mode,
        batchSize: draw.batchSize,
        minHealthyPercent: draw.mode === "surge" ? 100 : draw.minHealthyPercent,
        badRelease: draw.badRelease,
        ...(draw.rollbackAlarmAtSeconds === undefined ? {} : { rollbackAlarmAtSeconds: draw.rollbackAlarmAtSeconds }),
      },
      faults: {
        ...none,
        ...draw.common,
        neverHealthy: draw.neverHealthy,
        capacityChanges: draw.capacityDelta === 0 ? [] : [{ atSeconds: draw.capacityAt, desiredCapacity: base.desiredCapacity + draw.capacityDelta }],
      },
    })),
);

const scaleCase = (direction: "scale-in" | "scale-out") =>
  shape.chain((base) =>
    fc
      .record({
        common: commonFaults(base.desiredCapacity),
        step: fc.integer({ min: 1, max: direction === "scale-in" ? base.desiredCapacity - 1 : base.desiredCapacity }),
        neverHealthy: someOf(fc.integer({ min: base.desiredCapacity, max: base.desiredCapacity * 2 }), 2),
      })
      .map((draw): ChaosCase => ({
        workload: direction,
        scenarioSeed: base.scenarioSeed,
        desiredCapacity: base.desiredCapacity,
        sessions: base.desiredCapacity * base.sessionsPerInstance,
        // Lifecycle runs are about Ebb's hooks: Ebb owns registration.
        targetRegistration: "ebb",
        deregistrationDelaySeconds: base.deregistrationDelaySeconds,
        terminationPolicy: base.terminationPolicy,
        bootFailureRate: base.bootFailureRate,
        scaleTo: direction === "scale-in" ? base.desiredCapacity - draw.step : base.desiredCapacity + draw.step,
        faults: { ...none, ...draw.common, neverHealthy: direction === "scale-out" ? draw.neverHealthy : [] },
      })),
  );

const remediationCase = shape.chain((base) =>
  fc
    .record({
      common: commonFaults(base.desiredCapacity),
      unhealthy: someOf(fc.record({ atSeconds: during, durationSeconds: fc.constantFrom(300, 21_600), instanceIndex: fc.integer({ min: 0, max: base.desiredCapacity - 1 }) }), 2, 1),
      flapping: someOf(fc.record({ ...windowFields(300, 900), instanceIndex: fc.integer({ min: 0, max: base.desiredCapacity - 1 }), periodSeconds: fc.constantFrom(20, 40, 90) }), 1),
      zoneOutages: someOf(fc.record({ ...windowFields(300, 900), availabilityZone: fc.constantFrom("us-east-1a", "us-east-1b", "us-east-1c") }), 1, 4),
    })
    .map((draw): ChaosCase => ({
      workload: "remediation",
      scenarioSeed: base.scenarioSeed,
      desiredCapacity: base.desiredCapacity,
      sessions: base.desiredCapacity * base.sessionsPerInstance,
      targetRegistration: base.targetRegistration,
      deregistrationDelaySeconds: base.deregistrationDelaySeconds,
      terminationPolicy: base.terminationPolicy,
      bootFailureRate: base.bootFailureRate,
      faults: { ...none, ...draw.common, unhealthy: draw.unhealthy, flapping: draw.flapping, zoneOutages: draw.zoneOutages },
    })),
);

export const chaosCaseArbitrary: fc.Arbitrary<ChaosCase> = fc.oneof(
  { arbitrary: deployCase, weight: 3 },
  { arbitrary: scaleCase("scale-in"), weight: 1 },
  { arbitrary: scaleCase("scale-out"), weight: 1 },
  { arbitrary: remediationCase, weight: 1 },
);

/** A 32-bit seed for run `index` of a suite seeded `seed` (splitmix32): runs are independent of each other and of how many run. */
export function runSeed(seed: number, index: number): number {
  let z = (Math.imul(seed, 0x9e3779b9) + Math.imul(index + 1, 0x85ebca6b)) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
  return (z ^ (z >>> 15)) >>> 0;
}

/** The case of run `index` of a suite seeded `seed`: the same pair always draws the same case. */
export function drawCase(seed: number, index: number): ChaosCase {
  const [drawn] = fc.sample(chaosCaseArbitrary, { seed: runSeed(seed, index) | 0, numRuns: 1 });
  if (drawn === undefined) throw new Error("fast-check drew no case");
  return drawn;
}
