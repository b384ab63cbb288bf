import { DescribeInstanceRefreshesCommand, StartInstanceRefreshCommand } from "@aws-sdk/client-auto-scaling";
import { newTargetHealthySeconds } from "../../core/timing.ts";
import type { RunResult } from "../report/report.ts";
import { BaselineFleetApi, baselineDeploy } from "./fleet-api.ts";
import { noExecutions, noLock } from "./types.ts";
import type { StrategyContext } from "./types.ts";

const POLL_SECONDS = 15;
const DONE = new Set(["Successful", "Failed", "Cancelled", "RollbackSuccessful", "RollbackFailed"]);

/**
 * ASG Instance Refresh as AWS documents it: set the launch template version, start a refresh
 * bounded by MinHealthyPercentage, and let the ASG replace instances; draining is only the
 * target group's deregistration delay.
 */
export async function runInstanceRefresh(context: StrategyContext): Promise<RunResult> {
  const { world } = context;
  const { groupName, targetVersion, minHealthyPercent, maxVirtualSeconds } = baselineDeploy(world, "instance-refresh");
  const api = new BaselineFleetApi(world);
  await api.setLaunchTemplateVersion(await api.group(groupName), targetVersion);
  const bootSeconds = world.config.app.versions[targetVersion]?.bootSeconds ?? 60;
  const instanceWarmup = newTargetHealthySeconds({ bootSeconds, healthCheckIntervalSeconds: world.config.targetGroup.healthCheck.intervalSeconds });
  const started = await api.autoScaling.send(
    new StartInstanceRefreshCommand({
      AutoScalingGroupName: groupName,
      Preferences: { MinHealthyPercentage: minHealthyPercent, InstanceWarmup: instanceWarmup },
    }),
  );
  const deadline = api.elapsedSeconds + maxVirtualSeconds;
  while (api.elapsedSeconds < deadline) {
    const response = await api.autoScaling.send(
      new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: groupName, InstanceRefreshIds: [started.InstanceRefreshId ?? ""] }),
    );
    const refresh = response.InstanceRefreshes?.[0];
    const status = refresh?.Status ?? "Unknown";
    context.report(`instance refresh ${status} ${refresh?.PercentageComplete ?? 0}%`);
    if (DONE.has(status)) {
      await context.settle(noLock);
      return {
        outcome: status === "Successful" ? "Succeeded" : "Failed",
        cause: status === "Successful" ? undefined : `instance refresh ${status}: ${refresh?.StatusReason ?? ""}`,
        output: refresh,
        bakeSeconds: 0,
        stepFunctions: noExecutions,
      };
    }
    await api.sleep(POLL_SECONDS);
  }
  await context.settle(noLock);
  return { outcome: "Aborted", cause: "instance refresh still running at run.maxVirtualSeconds", output: undefined, bakeSeconds: 0, stepFunctions: noExecutions };
}
