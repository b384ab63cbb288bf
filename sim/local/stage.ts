import { loadStageSettings, tableNames, type StageSettings } from "../../infra/stage-config.ts";
import type { World } from "../world.ts";
import { PROJECT_ROOT } from "./project.ts";

const DEMO_STAGE = "dev";

/** The parts of a stage's settings a local installation uses: the handlers' config and what the alarm rule matches. */
export type SimulationStage = Pick<StageSettings, "runtime" | "alarmNamePrefix">;

/**
 * The stage an operator of this simulated fleet would configure: stages/dev.json (the same
 * defaults a deploy of the demo stage gets), pointed at the emulated group, its connection
 * metric and the local tables.
 */
export async function simulationStage(world: World): Promise<SimulationStage> {
  const { fleet, app } = world.config;
  const demo = await loadStageSettings(PROJECT_ROOT, DEMO_STAGE);
  const defaults = demo.runtime;
  return {
    alarmNamePrefix: demo.alarmNamePrefix,
    runtime: {
      ...defaults,
      stage: "local",
      autoScalingGroups: [fleet.autoScalingGroupName],
      targetRegistration: fleet.targetRegistration,
      // With Ebb-owned registration nothing attaches the target group to the group: the stage names it.
      targetGroupArns: fleet.targetRegistration === "ebb" ? world.elb.targetGroups().map((group) => group.targetGroupArn) : [],
      estimates: {
        bootSeconds: app.versions[fleet.launchTemplateVersion]?.bootSeconds ?? defaults.estimates.bootSeconds,
        shedRatePerSecond: app.drainRatePerSecond,
      },
      connectionMetric: { ...defaults.connectionMetric, namespace: app.metricNamespace, metricName: app.metricName, periodSeconds: app.metricPeriodSeconds },
      tables: tableNames("local"),
    },
  };
}
