import {
  AutoScalingClient,
  DescribeAutoScalingGroupsCommand,
  UpdateAutoScalingGroupCommand,
} from "@aws-sdk/client-auto-scaling";
import type { AutoScalingGroup } from "@aws-sdk/client-auto-scaling";
import { DescribeTargetHealthCommand, ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { inProcessClientConfig } from "../aws-clients.ts";
import type { World } from "../world.ts";

export interface BaselineDeploy {
  groupName: string;
  targetVersion: string;
  minHealthyPercent: number;
  /** `surge`: launch the batch before terminating (Ebb's input field `mode`). */
  surge: boolean;
  batchSize: number | string;
  maxVirtualSeconds: number;
}

/** The baselines read the same workflow input as Ebb, falling back to the fleet and AWS's defaults. */
export function baselineDeploy(world: World, baseline: string): BaselineDeploy {
  const run = world.config.run;
  if (run.kind !== "rolling-deploy") throw new Error(`the ${baseline} baseline runs rolling deploys only`);
  return {
    groupName: String(run.input["autoScalingGroupName"] ?? world.config.fleet.autoScalingGroupName),
    targetVersion: String(run.input["launchTemplateVersion"] ?? "2"),
    minHealthyPercent: Number(run.input["minHealthyPercent"] ?? 90),
    surge: run.input["mode"] === "surge",
    batchSize: typeof run.input["batchSize"] === "number" ? run.input["batchSize"] : String(run.input["batchSize"] ?? "25%"),
    maxVirtualSeconds: run.maxVirtualSeconds,
  };
}

/** What the baselines need from AWS, through the real SDK clients, like a script would call it. */
export class BaselineFleetApi {
  readonly autoScaling: AutoScalingClient;
  readonly elb: ElasticLoadBalancingV2Client;
  readonly #world: World;

  constructor(world: World) {
    this.#world = world;
    this.autoScaling = new AutoScalingClient(inProcessClientConfig(world));
    this.elb = new ElasticLoadBalancingV2Client(inProcessClientConfig(world));
  }

  /** A script's `sleep`: virtual time passes, events raised meanwhile are delivered. */
  async sleep(seconds: number): Promise<void> {
    this.#world.advance(seconds);
    await this.#world.events.flush();
  }

  get elapsedSeconds(): number {
    return this.#world.elapsedSeconds;
  }

  async group(name: string): Promise<AutoScalingGroup> {
    const response = await this.autoScaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }));
    const group = response.AutoScalingGroups?.[0];
    if (!group) throw new Error(`Auto Scaling group ${name} not found`);
    return group;
  }

  async setLaunchTemplateVersion(group: AutoScalingGroup, version: string): Promise<void> {
    const template = group.LaunchTemplate;
    if (!template?.LaunchTemplateName) throw new Error(`${group.AutoScalingGroupName} has no launch template`);
    await this.autoScaling.send(
      new UpdateAutoScalingGroupCommand({
        AutoScalingGroupName: group.AutoScalingGroupName,
        LaunchTemplate: { LaunchTemplateName: template.LaunchTemplateName, Version: version },
      }),
    );
  }

  async isHealthyEverywhere(group: AutoScalingGroup, instanceId: string): Promise<boolean> {
    for (const targetGroupArn of group.TargetGroupARNs ?? []) {
      const response = await this.elb.send(
        new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn, Targets: [{ Id: instanceId }] }),
      );
      if (response.TargetHealthDescriptions?.[0]?.TargetHealth?.State !== "healthy") return false;
    }
    return true;
  }
}
