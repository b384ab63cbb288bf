import type { ScenarioConfig } from "../sim/config/schema.ts";
import { parseScenarioConfig } from "../sim/scenarios.ts";
import type { ChaosCase } from "./mix.ts";

export const ROLLBACK_ALARM = "chaos-rollback";
export const TARGET_VERSION = "2";

/** Ebb's launch and terminate hooks as a stage in `ebb` registration mode installs them. */
const hooks = [
  { name: "ebb-launch", transition: "launch", heartbeatTimeoutSeconds: 300, defaultResult: "ABANDON" },
  { name: "ebb-terminate", transition: "terminate", heartbeatTimeoutSeconds: 300, defaultResult: "CONTINUE" },
] as const;

function runOf(chaos: ChaosCase): Record<string, unknown> {
  if (chaos.workload === "remediation") return { kind: "remediation", durationSeconds: 1500 };
  if (chaos.workload !== "deploy") return { kind: "scale", desiredCapacity: chaos.scaleTo, maxVirtualSeconds: 7200 };
  const deploy = chaos.deploy;
  if (deploy === undefined) throw new Error("a deploy case has no deploy settings");
  return {
    kind: "rolling-deploy",
    maxVirtualSeconds: 7200,
    input: {
      launchTemplateVersion: TARGET_VERSION,
      mode: deploy.mode,
      batchSize: deploy.batchSize,
      minHealthyPercent: deploy.minHealthyPercent,
      health: { timeoutSeconds: 300 },
      ...(deploy.rollbackAlarmAtSeconds === undefined ? {} : { rollbackAlarms: [ROLLBACK_ALARM] }),
    },
  };
}

/** The scenario a chaos case runs: a fleet config with the case's faults, validated by the simulator's own schema. */
export function chaosScenario(chaos: ChaosCase, label: string): ScenarioConfig {
  const alarmAt = chaos.deploy?.rollbackAlarmAtSeconds;
  const versions: Record<string, unknown> = {
    [chaos.workload === "deploy" ? TARGET_VERSION : "1"]: { bootFailureRate: chaos.bootFailureRate, healthy: chaos.deploy?.badRelease !== true },
  };
  return parseScenarioConfig(
    {
      scenario: label,
      seed: chaos.scenarioSeed,
      fleet: {
        desiredCapacity: chaos.desiredCapacity,
        maxSize: chaos.desiredCapacity * 2,
        targetRegistration: chaos.targetRegistration,
        lifecycleHooks: chaos.targetRegistration === "ebb" ? hooks : [],
        terminationPolicy: chaos.terminationPolicy,
      },
      targetGroup: { deregistrationDelaySeconds: chaos.deregistrationDelaySeconds },
      clients: { sessions: chaos.sessions },
      app: { versions, alarms: alarmAt === undefined ? [] : [{ alarmName: ROLLBACK_ALARM }] },
      faults: { ...chaos.faults, alarms: alarmAt === undefined ? [] : [{ atSeconds: alarmAt, alarmName: ROLLBACK_ALARM, state: "ALARM" }] },
      run: runOf(chaos),
    },
    label,
  );
}
