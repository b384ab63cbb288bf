import { TerminateInstanceInAutoScalingGroupCommand } from "@aws-sdk/client-auto-scaling";
import { DeregisterTargetsCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { RunResult } from "../report/report.ts";
import { BaselineFleetApi, baselineDeploy } from "./fleet-api.ts";
import { noExecutions, noLock } from "./types.ts";
import type { StrategyContext } from "./types.ts";

const DRAIN_SLEEP_SECONDS = 10;
const RESTART_SLEEP_SECONDS = 5;
const BETWEEN_SERVERS_SLEEP_SECONDS = 30;
const HEALTH_POLL_SECONDS = 5;
const HEALTH_GIVE_UP_SECONDS = 600;

/**
 * The algorithm of rolling-deploy.sh (seeds/004): one server at a time, drain on a fixed
 * `sleep 10`, replace, `sleep 5`, check health, `sleep 30`. An ASG replaces an instance rather
 * than restarting its app in place, so the health check is repeated every 5 s until the
 * replacement answers (the script would otherwise always fail at its first check).
 */
export async function runSeedScript(context: StrategyContext): Promise<RunResult> {
  const { groupName, targetVersion, maxVirtualSeconds } = baselineDeploy(context.world, "seed-script");
  const api = new BaselineFleetApi(context.world);
  let group = await api.group(groupName);
  await api.setLaunchTemplateVersion(group, targetVersion);
  const servers = (group.Instances ?? []).map((instance) => instance.InstanceId ?? "").filter(Boolean);
  const known = new Set(servers);
  for (const [index, instanceId] of servers.entries()) {
    if (api.elapsedSeconds >= maxVirtualSeconds) {
      await context.settle(noLock);
      return { outcome: "Aborted", cause: `still running after ${maxVirtualSeconds} virtual seconds (${index} of ${servers.length} servers replaced)`, output: { servers: index }, bakeSeconds: 0, stepFunctions: noExecutions };
    }
    context.report("deregister and sleep 10", index, servers.length);
    for (const targetGroupArn of group.TargetGroupARNs ?? []) {
      await api.elb.send(new DeregisterTargetsCommand({ TargetGroupArn: targetGroupArn, Targets: [{ Id: instanceId }] }));
    }
    await api.sleep(DRAIN_SLEEP_SECONDS);
    context.report("replace", index, servers.length);
    await api.autoScaling.send(
      new TerminateInstanceInAutoScalingGroupCommand({ InstanceId: instanceId, ShouldDecrementDesiredCapacity: false }),
    );
    await api.sleep(RESTART_SLEEP_SECONDS);
    context.report("verify health", index, servers.length);
    const healthy = await waitForReplacement(api, groupName, known);
    if (!healthy) {
      await context.settle(noLock);
      return { outcome: "Failed", cause: `the replacement for ${instanceId} never became healthy`, output: undefined, bakeSeconds: 0, stepFunctions: noExecutions };
    }
    known.add(healthy);
    context.report("sleep 30", index, servers.length);
    await api.sleep(BETWEEN_SERVERS_SLEEP_SECONDS);
    group = await api.group(groupName);
  }
  await context.settle(noLock);
  return { outcome: "Succeeded", cause: undefined, output: { servers: servers.length }, bakeSeconds: 0, stepFunctions: noExecutions };
}

async function waitForReplacement(api: BaselineFleetApi, groupName: string, known: Set<string>): Promise<string | undefined> {
  const deadline = api.elapsedSeconds + HEALTH_GIVE_UP_SECONDS;
  while (api.elapsedSeconds < deadline) {
    const group = await api.group(groupName);
    for (const instance of group.Instances ?? []) {
      const id = instance.InstanceId;
      if (id && !known.has(id) && instance.LifecycleState === "InService" && (await api.isHealthyEverywhere(group, id))) return id;
    }
    await api.sleep(HEALTH_POLL_SECONDS);
  }
  return undefined;
}
