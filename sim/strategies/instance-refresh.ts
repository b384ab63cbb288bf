import { DescribeInstanceRefreshesCommand, StartInstanceRefreshCommand, type RefreshPreferences } from "@aws-sdk/client-auto-scaling";
import { batchSizeInInstances } from "../../core/planner.ts";
import { newTargetHealthySeconds } from "../../core/timing.ts";
import { installLocalEbb, type LocalEbb } from "../local/ebb.ts";
import type { ExecutionSummary, RunResult } from "../report/report.ts";
import { BaselineFleetApi, baselineDeploy, type BaselineDeploy } from "./fleet-api.ts";
import { noExecutions, noLock } from "./types.ts";
import type { StrategyContext } from "./types.ts";

const POLL_SECONDS = 15;
const DONE = new Set(["Successful", "Failed", "Cancelled", "RollbackSuccessful", "RollbackFailed"]);

/**
 * The deploy's own settings in Instance Refresh terms: MinHealthyPercentage as given and, for a
 * surge deploy, a MaxHealthyPercentage that lets the batch launch before old instances terminate
 * (within AWS's 100-200 range and its max - min <= 100 rule). Everything else keeps the CLI defaults.
 */
const preferencesFor = (deploy: BaselineDeploy, desiredCapacity: number, instanceWarmup: number): RefreshPreferences => {
  const surgePercent = Math.ceil((100 * batchSizeInInstances(deploy.batchSize, desiredCapacity)) / Math.max(1, desiredCapacity));
  const maxHealthy = Math.min(200, deploy.minHealthyPercent + 100, 100 + surgePercent);
  return {
    MinHealthyPercentage: deploy.minHealthyPercent,
    InstanceWarmup: instanceWarmup,
    ...(deploy.surge ? { MaxHealthyPercentage: maxHealthy } : {}),
  };
};

/**
 * ASG Instance Refresh as AWS documents it: set the launch template version, start a refresh
 * bounded by the minimum (and for a surge, maximum) healthy percentage, and let the ASG replace
 * instances; draining is only the target group's deregistration delay.
 */
export async function runInstanceRefresh(context: StrategyContext): Promise<RunResult> {
  // Instance Refresh honors lifecycle hooks: a fleet with hooks has Ebb installed to answer them.
  const ebb = context.world.config.fleet.lifecycleHooks.length > 0 ? await installLocalEbb(context.world) : undefined;
  try {
    const result = await refresh(context, ebb);
    return ebb === undefined ? result : { ...result, stepFunctions: hookExecutions(ebb) };
  } finally {
    await ebb?.stop();
  }
}

/** The hook workflows' executions, when Ebb answers the refresh's lifecycle actions. */
function hookExecutions(ebb: LocalEbb): ExecutionSummary {
  const all = ebb.stepFunctions.executions().map((execution) => execution.summary());
  return {
    executions: all.length,
    stateTransitions: all.reduce((sum, each) => sum + each.stateTransitions, 0),
    maxHistoryEvents: all.reduce((max, each) => Math.max(max, each.historyEvents), 0),
  };
}

/**
 * Time passes as a script's sleep, or, with Ebb's hook workflows running, on their timeline (the
 * executions' Wait states wake as it moves).
 */
function sleeper(api: BaselineFleetApi, ebb: LocalEbb | undefined): (seconds: number) => Promise<void> {
  if (ebb === undefined) return (seconds) => api.sleep(seconds);
  const { clock } = ebb.stepFunctions.timeline;
  return (seconds) => ebb.advanceTo(clock.nowMs + seconds * 1000);
}

async function refresh(context: StrategyContext, ebb: LocalEbb | undefined): Promise<RunResult> {
  const { world } = context;
  const deploy = baselineDeploy(world, "instance-refresh");
  const { groupName, targetVersion, maxVirtualSeconds } = deploy;
  const api = new BaselineFleetApi(world);
  const sleep = sleeper(api, ebb);
  const group = await api.group(groupName);
  await api.setLaunchTemplateVersion(group, targetVersion);
  const bootSeconds = world.config.app.versions[targetVersion]?.bootSeconds ?? 60;
  const instanceWarmup = newTargetHealthySeconds({ bootSeconds, healthCheckIntervalSeconds: world.config.targetGroup.healthCheck.intervalSeconds });
  const desiredCapacity = group.DesiredCapacity ?? 0;
  const awsDefaults = world.config.run.kind === "rolling-deploy" && world.config.run.refreshPreferences === "aws-defaults";
  const preferences = awsDefaults ? {} : { Preferences: preferencesFor(deploy, desiredCapacity, instanceWarmup) };
  const started = await api.autoScaling.send(new StartInstanceRefreshCommand({ AutoScalingGroupName: groupName, ...preferences }));
  const deadline = api.elapsedSeconds + maxVirtualSeconds;
  while (api.elapsedSeconds < deadline) {
    const response = await api.autoScaling.send(
      new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: groupName, InstanceRefreshIds: [started.InstanceRefreshId ?? ""] }),
    );
    const refresh = response.InstanceRefreshes?.[0];
    const status = refresh?.Status ?? "Unknown";
    context.report(`instance refresh ${status} ${refresh?.PercentageComplete ?? 0}%`);
    if (DONE.has(status)) {
      await context.settle(noLock, ebb?.advanceTo);
      return {
        outcome: status === "Successful" ? "Succeeded" : "Failed",
        cause: status === "Successful" ? undefined : `instance refresh ${status}: ${refresh?.StatusReason ?? ""}`,
        output: refresh,
        bakeSeconds: 0,
        stepFunctions: noExecutions,
      };
    }
    await sleep(POLL_SECONDS);
  }
  await context.settle(noLock, ebb?.advanceTo);
  return { outcome: "Aborted", cause: "instance refresh still running at run.maxVirtualSeconds", output: undefined, bakeSeconds: 0, stepFunctions: noExecutions };
}
