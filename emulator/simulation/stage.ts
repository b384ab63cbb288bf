import { loadStageSettings, tableNames } from "../../infra/stage-config.ts";
import type { StageConfig } from "../../core/stage.ts";
import type { World } from "../world.ts";
import { PROJECT_ROOT } from "./project.ts";

const DEMO_STAGE = "dev";

/**
 * The stage an operator of this simulated fleet would configure: stages/dev.json (the same
 * defaults a deploy of the demo stage gets), pointed at the emulated group, its connection
 * metric and the local tables.
 */
export async function simulationStage(world: World): Promise<StageConfig> {
  const { fleet, app } = world.config;
  const demo = (await loadStageSettings(PROJECT_ROOT, DEMO_STAGE)).runtime;
  return {
    ...demo,
    stage: "local",
    autoScalingGroups: [fleet.autoScalingGroupName],
    targetRegistration: fleet.targetRegistration,
    estimates: {
      bootSeconds: app.versions[fleet.launchTemplateVersion]?.bootSeconds ?? demo.estimates.bootSeconds,
      shedRatePerSecond: app.drainRatePerSecond,
    },
    connectionMetric: { ...demo.connectionMetric, namespace: app.metricNamespace, metricName: app.metricName, periodSeconds: app.metricPeriodSeconds },
    tables: tableNames("local"),
  };
}
