import type { ScenarioConfig } from "../sim/config/schema.ts";
import type { FiredFault } from "../sim/faults/injector.ts";
import type { SimulationReport } from "../sim/report/report.ts";
import { simulate } from "../sim/simulate.ts";
import type { World } from "../sim/world.ts";
import type { ChaosCase } from "./mix.ts";

/** An instance the group started to take out, as the physics saw it that step. */
export interface TerminationRecord {
  instanceId: string;
  launchIndex: number;
  availabilityZone: string;
  /** Virtual seconds since the scenario started. */
  atSeconds: number;
  cause: string;
  crashed: boolean;
  /** Its app never came up (a boot failure or a never-healthy launch): dead from the start. */
  bootFailed: boolean;
}

/**
 * What a chaos run leaves for the invariants: the quiescent report, the case and config it ran,
 * and the few facts the report does not carry (whom the group took out and when, the target
 * groups' deregistration delays at the end, the scheduled faults as they fired).
 */
export interface ChaosObservation {
  chaos: ChaosCase;
  config: ScenarioConfig;
  report: SimulationReport;
  terminations: TerminationRecord[];
  deregistrationDelaySeconds: number[];
  fired: FiredFault[];
}

function watchTerminations(world: World, into: TerminationRecord[]): void {
  const seen = new Set<string>();
  world.observe({
    step(nowMs) {
      for (const instance of world.autoscaling.instances()) {
        if (seen.has(instance.instanceId) || !instance.lifecycleState.startsWith("Terminat")) continue;
        seen.add(instance.instanceId);
        into.push({
          instanceId: instance.instanceId,
          launchIndex: instance.launchIndex,
          availabilityZone: instance.availabilityZone,
          atSeconds: (nowMs - world.startMs) / 1000,
          cause: instance.terminationCause ?? "",
          crashed: instance.crashed,
          bootFailed: instance.bootFailed,
        });
      }
    },
  });
}

export async function observeRun(chaos: ChaosCase, config: ScenarioConfig): Promise<ChaosObservation> {
  const terminations: TerminationRecord[] = [];
  let deregistrationDelaySeconds: number[] = [];
  let fired: FiredFault[] = [];
  const report = await simulate(config, {
    onStart: (world) => watchTerminations(world, terminations),
    onFinished: async (world) => {
      deregistrationDelaySeconds = world.elb.targetGroups().map((group) => group.deregistrationDelaySeconds);
      fired = [...world.faults.fired()];
    },
  });
  return { chaos, config, report, terminations, deregistrationDelaySeconds, fired };
}
