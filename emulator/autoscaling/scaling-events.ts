import { arn } from "../ec2/ids.ts";
import type { AutoScalingGroupState } from "./group.ts";
import type { AutoScalingWorld } from "./ports.ts";
import type { FleetInstance } from "./types.ts";
import { isoSeconds } from "./views.ts";

/** The scaling activity events Auto Scaling sends EventBridge (best effort) when an instance's launch or termination ends. */
export type ScalingEventType = "EC2 Instance Launch Successful" | "EC2 Instance Launch Unsuccessful" | "EC2 Instance Terminate Successful";

export interface ScalingEventDetail {
  readonly StatusCode: "InProgress" | "Failed";
  readonly Description: string;
  readonly AutoScalingGroupName: string;
  readonly ActivityId: string;
  readonly Details: { readonly "Availability Zone": string; readonly "Subnet ID": string };
  readonly RequestId: string;
  readonly StatusMessage: string;
  readonly EndTime: string;
  readonly EC2InstanceId: string;
  readonly StartTime: string;
  readonly Cause: string;
}

/** What publishing needs: the account, its load balancer's subnets, the bus, and the group's activity ids. */
export interface ScalingEventHost {
  readonly world: Pick<AutoScalingWorld, "region" | "accountId" | "clock" | "elb" | "events">;
  nextActivityId(): string;
}

/**
 * Publishes one activity event in the shape of the Amazon EC2 Auto Scaling event reference's
 * examples: resources are the group and the instance, the successful ones carry StatusCode
 * "InProgress" exactly as AWS's examples do, an unsuccessful one "Failed" with its StatusMessage.
 */
export function publishScalingEvent(
  host: ScalingEventHost,
  group: AutoScalingGroupState,
  instance: FleetInstance,
  type: ScalingEventType,
  activity: { startedAtMs: number; cause: string; statusMessage?: string },
): void {
  const { world } = host;
  const { region, accountId } = world;
  const launching = type !== "EC2 Instance Terminate Successful";
  const activityId = host.nextActivityId();
  const subnetId = world.elb.loadBalancers()[0]?.availabilityZones.find((zone) => zone.zoneName === instance.availabilityZone)?.subnetId ?? "";
  const detail: ScalingEventDetail = {
    StatusCode: type === "EC2 Instance Launch Unsuccessful" ? "Failed" : "InProgress",
    Description: `${launching ? "Launching a new" : "Terminating"} EC2 instance: ${instance.instanceId}`,
    AutoScalingGroupName: group.autoScalingGroupName,
    ActivityId: activityId,
    Details: { "Availability Zone": instance.availabilityZone, "Subnet ID": subnetId },
    RequestId: activityId,
    StatusMessage: activity.statusMessage ?? "",
    EndTime: isoSeconds(world.clock.nowMs),
    EC2InstanceId: instance.instanceId,
    StartTime: isoSeconds(activity.startedAtMs),
    Cause: `At ${isoSeconds(activity.startedAtMs)} ${activity.cause}.`,
  };
  world.events.publish({
    source: "aws.autoscaling",
    "detail-type": type,
    resources: [group.autoScalingGroupArn, arn("ec2", region, accountId, `instance/${instance.instanceId}`)],
    detail,
  });
}
