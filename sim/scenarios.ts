import { readFile } from "node:fs/promises";
import { scenarioConfigSchema } from "./config/schema.ts";
import type { ScenarioConfig, ScenarioConfigInput } from "./config/schema.ts";
import { ScenarioConfigError } from "./errors.ts";
import { describeIssues } from "../shared/validation.ts";

const demoDeploy = {
  autoScalingGroupName: "ebb-demo-asg",
  launchTemplateVersion: "2",
  batchSize: "25%",
  minHealthyPercent: 75,
};

/** A fleet serving for half an hour (the ASG's ELB health check on) while Ebb answers its remediation alarms. */
const remediationRun = (durationSeconds = 1800, strategy: "ebb" | "none" = "ebb") => ({ kind: "remediation" as const, durationSeconds, strategy });
/** Ten minutes in: past the ASG's health-check grace period, with metrics and alarms in rhythm. */
const FAULT_AT = 600;
const sharedOutage = { faults: { sharedOutages: [{ atSeconds: FAULT_AT, durationSeconds: 600 }] }, fleet: { healthCheckType: "ELB" as const } };
/** Ebb's launch and terminate hooks, as a stage in `ebb` registration mode installs them. */
const launchHook = { name: "ebb-launch", transition: "launch", heartbeatTimeoutSeconds: 300, defaultResult: "ABANDON" } as const;
const hooks = [launchHook, { name: "ebb-terminate", transition: "terminate", heartbeatTimeoutSeconds: 300, defaultResult: "CONTINUE" } as const];

/**
 * A fleet whose load is not even (long-lived sessions never rebalance by themselves): the last
 * instance of zones a, b and c and one more of zone a (launch indexes 6, 9, 10, 11) hold about a
 * quarter of what the others do.
 */
const unevenLoad = [1, 1, 1, 1, 1, 1, 0.25, 1, 1, 0.25, 0.25, 0.25];

/** The built-in scenarios. Each is a config file's content; every omitted field takes its default. */
const catalog: Record<string, ScenarioConfigInput> = {
  "rolling-deploy": {
    run: { kind: "rolling-deploy", input: demoDeploy },
  },
  "rolling-deploy-surge": {
    fleet: { maxSize: 16 },
    run: { kind: "rolling-deploy", input: { ...demoDeploy, mode: "surge", minHealthyPercent: 100 } },
  },
  // The rolling deploy under a fleet-wide reconnect budget: the app closes with 1012 Service Restart
  // and the clients come back after a random 5-30 s; the drain paces the shedding to 1,000 reconnects a minute.
  "reconnect-budget": {
    app: { drainCloseCode: "1012" },
    run: { kind: "rolling-deploy", input: { ...demoDeploy, drain: { maxReconnectsPerMinute: 1000 } } },
  },
  // Replace mode whose first batch surges (MaxSize 24 has room): nobody is handed off onto an instance of a later batch by batch 1.
  "rolling-deploy-surge-first": {
    run: { kind: "rolling-deploy", input: { ...demoDeploy, surgeFirstBatch: true } },
  },
  "bad-release": {
    app: { versions: { "2": { healthy: false } } },
    run: { kind: "rolling-deploy", input: { ...demoDeploy, health: { timeoutSeconds: 300 } } },
  },
  "alarm-rollback": {
    app: { alarms: [{ alarmName: "ebb-demo-target-5xx" }] },
    faults: { alarms: [{ atSeconds: 240, alarmName: "ebb-demo-target-5xx", state: "ALARM" }] },
    run: { kind: "rolling-deploy", input: { ...demoDeploy, rollbackAlarms: ["ebb-demo-target-5xx"] } },
  },
  // seeds/000's ChatPulse target group: a 30 s deregistration delay, 30 s health checks, healthy after 2, 50% batches.
  chatpulse: {
    fleet: { desiredCapacity: 4 },
    clients: { sessions: 12_000 },
    targetGroup: { deregistrationDelaySeconds: 30, healthCheck: { intervalSeconds: 30, healthyThreshold: 2 } },
    run: { kind: "rolling-deploy", input: { ...demoDeploy, batchSize: "50%", minHealthyPercent: 50 } },
  },
  "ssm-failure-mid-batch": {
    faults: { api: [{ service: "ssm", action: "SendCommand", kind: "server-error", rate: 1 }] },
    run: { kind: "rolling-deploy", input: demoDeploy },
  },
  "shared-outage-during-deploy": {
    faults: { sharedOutages: [{ atSeconds: 120, durationSeconds: 120 }] },
    run: { kind: "rolling-deploy", input: demoDeploy },
  },
  "abort-during-surge": {
    fleet: { maxSize: 12 },
    run: { kind: "rolling-deploy", input: { ...demoDeploy, mode: "surge", minHealthyPercent: 100 }, maxVirtualSeconds: 40 },
  },
  // A launch hook keeps batch 1's replacements launching (Pending:Wait) when the rollback alarm fires: the rollback must wait for them.
  "rollback-while-launching": {
    fleet: { lifecycleHooks: [{ name: "warm-up", transition: "launch", heartbeatTimeoutSeconds: 240, defaultResult: "CONTINUE" }] },
    app: { alarms: [{ alarmName: "ebb-demo-target-5xx" }] },
    faults: { alarms: [{ atSeconds: 225, alarmName: "ebb-demo-target-5xx", state: "ALARM" }] },
    run: { kind: "rolling-deploy", input: { ...demoDeploy, rollbackAlarms: ["ebb-demo-target-5xx"] } },
  },
  // Instance 5 fails its target group health checks from before the deploy on; with EC2 health checks the ASG keeps it InService.
  "unhealthy-at-start": {
    fleet: { healthCheckType: "EC2" },
    faults: { flapping: [{ instanceIndex: 5, atSeconds: 30, durationSeconds: 20_000, periodSeconds: 20_000 }] },
    run: { kind: "rolling-deploy", input: demoDeploy },
  },
  // Instance 11 (planned last) starts failing its health checks while batch 2 bakes, and stays down.
  "unhealthy-mid-deploy": {
    fleet: { healthCheckType: "EC2" },
    faults: { flapping: [{ instanceIndex: 11, atSeconds: 520, durationSeconds: 20_000, periodSeconds: 20_000 }] },
    run: { kind: "rolling-deploy", input: { ...demoDeploy, bakeSeconds: 120, health: { timeoutSeconds: 300 } } },
  },
  // Someone else scales the group while the deploy runs (batch 2 is draining at 300 s).
  "scale-out-during-deploy": {
    faults: { capacityChanges: [{ atSeconds: 300, desiredCapacity: 15 }] },
    run: { kind: "rolling-deploy", input: demoDeploy },
  },
  // Ebb owns registration, so the scale-in someone else makes mid-deploy is drained by the terminate hook.
  "scale-in-during-deploy": {
    fleet: { targetRegistration: "ebb", lifecycleHooks: hooks },
    faults: { capacityChanges: [{ atSeconds: 300, desiredCapacity: 9 }] },
    run: { kind: "rolling-deploy", input: demoDeploy },
  },
  "large-fleet": {
    fleet: { desiredCapacity: 1000, maxSize: 1100 },
    clients: { sessions: 1_000_000 },
    run: { kind: "rolling-deploy", input: { ...demoDeploy, batchSize: "10%", minHealthyPercent: 90 } },
  },
  "unhealthy-host": {
    faults: { unhealthy: [{ atSeconds: FAULT_AT, instanceIndex: 3 }] },
    run: remediationRun(),
  },
  "host-crash": {
    faults: { crashes: [{ atSeconds: FAULT_AT, instanceIndex: 3 }] },
    run: remediationRun(),
  },
  // Every host fails its health check for 10 minutes (a database or Redis down, seeds/001), then recovers.
  "shared-outage": { ...sharedOutage, run: remediationRun(2400) },
  "shared-outage-without-ebb": { ...sharedOutage, run: remediationRun(2400, "none") },
  "az-outage": {
    faults: { zoneOutages: [{ availabilityZone: "us-east-1b", atSeconds: FAULT_AT, durationSeconds: 900 }] },
    run: remediationRun(2400),
  },
  "flapping-host": {
    faults: { flapping: [{ instanceIndex: 3, atSeconds: FAULT_AT, durationSeconds: 1200, periodSeconds: 40 }] },
    run: remediationRun(2700),
  },
  // Four hosts fail a minute apart; the budget allows two replacements an hour.
  "remediation-storm": {
    faults: { unhealthy: [0, 1, 2, 3].map((instanceIndex) => ({ atSeconds: FAULT_AT + 60 * instanceIndex, instanceIndex })) },
    run: { ...remediationRun(2400), settings: { budget: { maxPerWindow: 2, windowSeconds: 3600 } } },
  },
  // Half of a 4-instance pool fails: a fraction-only guard (Karpenter's 20%) would strand it.
  "small-pool": {
    fleet: { desiredCapacity: 4 },
    clients: { sessions: 4000 },
    faults: { unhealthy: [{ atSeconds: FAULT_AT, instanceIndex: 1 }, { atSeconds: FAULT_AT, instanceIndex: 2 }] },
    run: { ...remediationRun(2400), settings: { budget: { maxConcurrent: 2 } } },
  },
  // 3 instances, sessions ramp 3,000 → 30,000 over 20 minutes and back; the group scales on its own,
  // Ebb owning registration so its terminate hook drains every scale-in victim, its termination policy picking them.
  "traffic-surge": {
    fleet: { desiredCapacity: 3, minSize: 3, maxSize: 24, targetRegistration: "ebb", lifecycleHooks: hooks, terminationPolicy: "ebb" },
    clients: {
      sessions: 3000,
      ramps: [
        { atSeconds: 300, durationSeconds: 1200, sessions: 30_000 },
        { atSeconds: 1500, durationSeconds: 1200, sessions: 3000 },
      ],
    },
    run: { kind: "traffic", durationSeconds: 4800 },
  },
  "dry-run": {
    run: { kind: "rolling-deploy", input: { ...demoDeploy, dryRun: true } },
  },
  // Lifecycle hooks (core/lifecycle): Ebb owns target registration, so scale-in drains before terminating;
  // Ebb's termination policy picks, per zone, the instances holding the fewest connections.
  "scale-in": {
    fleet: { targetRegistration: "ebb", lifecycleHooks: hooks, terminationPolicy: "ebb" },
    clients: { initialShares: unevenLoad },
    run: { kind: "scale", desiredCapacity: 8 },
  },
  // The same run with AWS's default termination policy (zone balance, then launch order here).
  "scale-in-default-policy": {
    fleet: { targetRegistration: "ebb", lifecycleHooks: hooks },
    clients: { initialShares: unevenLoad },
    run: { kind: "scale", desiredCapacity: 8 },
  },
  // Every Ebb function fails for 10 minutes from the scale in on (the run starts after the 120 s
  // warm-up): the hooks' events are lost and each action times out to its DefaultResult (300 s
  // HeartbeatTimeout, CONTINUE); the reconciler's runs after the outage check the fleet. The
  // default termination policy: with Ebb's, the scale in would wait for the control plane.
  "control-plane-outage": {
    fleet: { targetRegistration: "ebb", lifecycleHooks: hooks },
    clients: { initialShares: unevenLoad },
    faults: { controlPlaneOutages: [{ atSeconds: 120, durationSeconds: 600 }] },
    run: { kind: "scale", desiredCapacity: 8 },
  },
  // The same outage under a 3600 s HeartbeatTimeout: the actions outlast it, nobody heard of them,
  // so the reconciler finds them stuck, drains them through the drain pipeline and CONTINUEs.
  "control-plane-outage-long-heartbeat": {
    fleet: { targetRegistration: "ebb", lifecycleHooks: [launchHook, { name: "ebb-terminate", transition: "terminate", heartbeatTimeoutSeconds: 3600, defaultResult: "CONTINUE" }] },
    clients: { initialShares: unevenLoad },
    faults: { controlPlaneOutages: [{ atSeconds: 120, durationSeconds: 600 }] },
    run: { kind: "scale", desiredCapacity: 8 },
  },
  // AWS's own Instance Refresh (run.strategy instance-refresh) over a fleet whose targets Ebb owns:
  // every replacement goes through Ebb's hooks (launch: registered and verified healthy; terminate:
  // deregistered and drained), and Ebb's termination policy picks each round's victims. Compare
  // with rolling-deploy --strategy instance-refresh (target group attached, no hooks).
  "instance-refresh-hooks": {
    fleet: { targetRegistration: "ebb", lifecycleHooks: hooks, terminationPolicy: "ebb" },
    run: { kind: "rolling-deploy", input: demoDeploy, strategy: "instance-refresh" },
  },
  // The same with the target group attached: the ASG deregisters and waits the delay before the hook runs.
  "scale-in-attached": {
    fleet: { targetRegistration: "asg", lifecycleHooks: hooks },
    run: { kind: "scale", desiredCapacity: 8 },
  },
  "scale-out": {
    fleet: { desiredCapacity: 8, maxSize: 16, targetRegistration: "ebb", lifecycleHooks: hooks },
    clients: { sessions: 8000 },
    // The second new instance (launch indexes 8..11 are the scale out's) never comes up.
    faults: { neverHealthy: [9] },
    run: { kind: "scale", desiredCapacity: 12 },
  },
  // Every lifecycle event delivered twice, late and out of order.
  "duplicate-events": {
    fleet: { targetRegistration: "ebb", lifecycleHooks: hooks },
    faults: { events: { duplicateRate: 1, delaySeconds: 5, jitterSeconds: 20 } },
    run: { kind: "scale", desiredCapacity: 8 },
  },
  // A 2-hour drain (the app sheds ~0.14 connections/s) under a 600 s HeartbeatTimeout: only heartbeats keep the action open.
  "long-drain": {
    fleet: {
      desiredCapacity: 4,
      targetRegistration: "ebb",
      lifecycleHooks: [launchHook, { name: "ebb-terminate", transition: "terminate", heartbeatTimeoutSeconds: 600, defaultResult: "CONTINUE" }],
    },
    clients: { sessions: 4000, churnPerHour: 0 },
    app: { drainRatePerSecond: 0.14 },
    run: { kind: "scale", desiredCapacity: 3, maxVirtualSeconds: 4 * 3600 },
  },
  // The checklists' mistakes at once, for `ebb doctor`: a 60 s idle timeout (AWS's default), seeds/000's
  // 30 s deregistration delay under a 300 s drain, EC2 health checks, a liveness health path, a
  // launch hook that expires before an instance can boot, no terminate hook, and processes a deploy
  // never resumed.
  misconfigured: {
    fleet: {
      healthCheckType: "EC2",
      suspendedProcesses: ["AZRebalance", "ReplaceUnhealthy"],
      lifecycleHooks: [{ name: "app-warmup", transition: "launch", heartbeatTimeoutSeconds: 30, defaultResult: "ABANDON" }],
    },
    targetGroup: { idleTimeoutSeconds: 60, deregistrationDelaySeconds: 30, healthCheck: { path: "/" } },
    run: { kind: "rolling-deploy", input: demoDeploy },
  },
  "invalid-input": {
    run: {
      kind: "rolling-deploy",
      input: { autoScalingGroupName: "ebb-demo-asg", batchSize: "150%", mode: "rolling", minHealthyPercent: 120 },
    },
  },
};

export const scenarioNames = (): string[] => Object.keys(catalog);

/** Edits (insert, delete, replace one character) between two names. */
function editDistance(left: string, right: string): number {
  let previous = Array.from({ length: right.length + 1 }, (_, index) => index);
  for (const [i, leftChar] of [...left].entries()) {
    const current = [i + 1];
    for (const [j, rightChar] of [...right].entries()) {
      current.push(Math.min((previous[j + 1] ?? 0) + 1, (current[j] ?? 0) + 1, (previous[j] ?? 0) + (leftChar === rightChar ? 0 : 1)));
    }
    previous = current;
  }
  return previous[right.length] ?? 0;
}

/** The known name a typo most likely meant: within a third of its length in edits. */
function closestScenario(name: string): string | undefined {
  const ranked = scenarioNames().map((known) => ({ known, distance: editDistance(name.toLowerCase(), known) })).sort((a, b) => a.distance - b.distance);
  const best = ranked[0];
  return best !== undefined && best.distance <= Math.max(2, Math.floor(best.known.length / 3)) ? best.known : undefined;
}

export function loadScenario(name: string, overrides: { seed?: number } = {}): ScenarioConfig {
  const input = catalog[name];
  if (!input) {
    const suggestion = closestScenario(name);
    throw new ScenarioConfigError(`unknown scenario "${name}"${suggestion === undefined ? "" : ` (did you mean "${suggestion}"?)`}`, [
      `known scenarios: ${scenarioNames().join(", ")}`,
    ]);
  }
  return parseScenarioConfig({ ...input, scenario: name, ...overrides }, `scenario ${name}`);
}

export async function loadScenarioFile(path: string, overrides: { seed?: number } = {}): Promise<ScenarioConfig> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, "utf8"));
  } catch (error) {
    throw new ScenarioConfigError(`cannot read ${path}`, [(error as Error).message]);
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new ScenarioConfigError(`invalid config ${path}`, ["the file must hold a JSON object"]);
  }
  return parseScenarioConfig({ scenario: path, ...raw, ...overrides }, path);
}

export function parseScenarioConfig(input: unknown, source: string): ScenarioConfig {
  const parsed = scenarioConfigSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = describeIssues(parsed.error);
  throw new ScenarioConfigError(`invalid config ${source}`, problems);
}
