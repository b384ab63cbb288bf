import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { drawCase, runSeed, type ChaosCase } from "./mix.ts";
import { observeRun } from "./observe.ts";
import { chaosScenario } from "./scenario.ts";
import { violations, type Violation } from "./invariants/index.ts";
import type { Outcome } from "../sim/report/report.ts";

export interface ChaosRunResult {
  seed: number;
  index: number;
  chaos: ChaosCase;
  outcome: Outcome | "Error";
  violations: Violation[];
  wallSeconds: number;
}

/** Run `index` of a suite seeded `seed`: its case drawn from the pair alone, run on a fresh emulated account, checked. */
export async function runChaosCase(seed: number, index: number): Promise<ChaosRunResult> {
  const chaos = drawCase(seed, index);
  const started = performance.now();
  const label = `chaos-${seed}-${index}`;
  try {
    const observation = await observeRun(chaos, chaosScenario(chaos, label));
    return { seed, index, chaos, outcome: observation.report.outcome, violations: violations(observation), wallSeconds: (performance.now() - started) / 1000 };
  } catch (error) {
    const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return { seed, index, chaos, outcome: "Error", violations: [{ invariant: "the run completes without an error", detail }], wallSeconds: (performance.now() - started) / 1000 };
  }
}

/** A one-line summary of a case's fault mix (the full case is printed for a failing run). */
export function describeMix(chaos: ChaosCase): string {
  const faults = chaos.faults;
  const parts = [
    `${chaos.workload} ×${chaos.desiredCapacity}${chaos.scaleTo === undefined ? "" : `→${chaos.scaleTo}`}`,
    chaos.deploy && `${chaos.deploy.mode} ${chaos.deploy.batchSize} min ${chaos.deploy.minHealthyPercent}%${chaos.deploy.badRelease ? " bad-release" : ""}${chaos.deploy.rollbackAlarmAtSeconds === undefined ? "" : ` alarm@${chaos.deploy.rollbackAlarmAtSeconds}`}`,
    `reg ${chaos.targetRegistration}`,
    chaos.deregistrationDelaySeconds !== 300 && `delay ${chaos.deregistrationDelaySeconds}s`,
    faults.api.length > 0 && `api ${faults.api.map((fault) => `${fault.service}:${fault.kind}@${fault.rate}`).join(",")}`,
    faults.lambda.length > 0 && `lambda ${faults.lambda.map((fault) => `${fault.function}:${fault.kind}@${fault.rate}`).join(",")}`,
    faults.controlPlaneOutages.length > 0 && `cp-down ${faults.controlPlaneOutages.map((w) => `${w.atSeconds}+${w.durationSeconds}`).join(",")}`,
    faults.sharedOutages.length > 0 && `shared-outage ${faults.sharedOutages.map((w) => `${w.atSeconds}+${w.durationSeconds}`).join(",")}`,
    faults.crashes.length > 0 && `crash ${faults.crashes.map((c) => `#${c.instanceIndex}@${c.atSeconds}`).join(",")}`,
    faults.unhealthy.length > 0 && `unhealthy ${faults.unhealthy.map((u) => `#${u.instanceIndex}@${u.atSeconds}`).join(",")}`,
    faults.flapping.length > 0 && `flapping ${faults.flapping.map((f) => `#${f.instanceIndex}@${f.atSeconds}`).join(",")}`,
    faults.zoneOutages.length > 0 && `zone-outage ${faults.zoneOutages.map((z) => `${z.availabilityZone}@${z.atSeconds}+${z.durationSeconds}`).join(",")}`,
    faults.neverHealthy.length > 0 && `never-healthy ${faults.neverHealthy.join(",")}`,
    faults.capacityChanges.length > 0 && `capacity ${faults.capacityChanges.map((c) => `${c.desiredCapacity}@${c.atSeconds}`).join(",")}`,
    chaos.bootFailureRate > 0 && `boot-failures ${chaos.bootFailureRate}`,
    (faults.events.duplicateRate > 0 || faults.events.dropRate > 0 || faults.events.delaySeconds > 0 || faults.events.jitterSeconds > 0) &&
      `events dup ${faults.events.duplicateRate} drop ${faults.events.dropRate} delay ${faults.events.delaySeconds}+${faults.events.jitterSeconds}s`,
  ];
  return parts.filter(Boolean).join(" · ");
}

export { runSeed };

/**
 * Run `index` in a child process: each run gets a fresh process (nothing a run leaves behind,
 * a late timer or a socket, can touch the next), and a run that kills its process is a failure
 * with what it printed, not the end of the suite.
 */
export function runChaosCaseIsolated(seed: number, index: number): Promise<ChaosRunResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    execFile(process.execPath, [fileURLToPath(new URL("./run-one.ts", import.meta.url)), String(seed), String(index)], { maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const last = stdout.trim().split("\n").at(-1) ?? "";
      try {
        if (error === null) return resolve(JSON.parse(last) as ChaosRunResult);
      } catch {
        // Falls through: the child printed no result.
      }
      const detail = `the run's process died (${error?.message.split("\n")[0] ?? "no result printed"}): ${stderr.trim().split("\n").slice(-8).join(" | ")}`;
      resolve({ seed, index, chaos: drawCase(seed, index), outcome: "Error", violations: [{ invariant: "the run completes without an error", detail }], wallSeconds: (performance.now() - started) / 1000 });
    });
  });
}
