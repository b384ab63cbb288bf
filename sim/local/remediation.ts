import { CloudWatchClient, PutMetricAlarmCommand } from "@aws-sdk/client-cloudwatch";
import { stateMachineArn } from "../../infra/arns.ts";
import { remediationAlarms } from "../../infra/alarms.ts";
import { REMEDIATION_WORKFLOW } from "../../infra/plan.ts";
import { parseStageConfig, type StageConfig } from "../../core/stage.ts";
import { operatorClientConfig } from "../operator.ts";
import { loadBalancerDimension, targetGroupDimension } from "../physics/fleet-publisher.ts";
import type { World } from "../world.ts";

/**
 * The stage as deployed for remediation: the remediate workflow's ARN (the local machines go by
 * their bare names) and a remediation scenario's own settings over the stage's.
 */
export function withRemediation(world: World, stage: StageConfig): StageConfig {
  const run = world.config.run;
  const settings = run.kind === "remediation" ? run.settings : {};
  const arn = stateMachineArn({ region: world.config.region, account: world.config.accountId }, REMEDIATION_WORKFLOW);
  return parseStageConfig({ ...stage, remediation: { ...stage.remediation, ...settings }, remediationStateMachineArn: arn });
}

/** The remediation alarms infra/ creates, on every target group behind a load balancer, through the real SDK. */
export async function createRemediationAlarms(world: World, prefix: string, stage: StageConfig): Promise<string[]> {
  const targets = world.elb.targetGroups().flatMap((group) => {
    const loadBalancerArn = group.loadBalancerArns[0];
    return loadBalancerArn === undefined
      ? []
      : [{ targetGroupName: group.targetGroupName, targetGroupDimension: targetGroupDimension(group.targetGroupArn), loadBalancerDimension: loadBalancerDimension(loadBalancerArn) }];
  });
  const cloudWatch = new CloudWatchClient(operatorClientConfig(world));
  const specs = remediationAlarms(prefix, stage.remediation.alarm, targets);
  for (const spec of specs) await cloudWatch.send(new PutMetricAlarmCommand({ ...spec, Dimensions: [...spec.Dimensions] }));
  return specs.map((spec) => spec.AlarmName);
}
