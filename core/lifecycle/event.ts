import { z } from "zod";

/**
 * The EventBridge events Amazon EC2 Auto Scaling sends for lifecycle actions ("EC2
 * Instance-launch Lifecycle Action", "EC2 Instance-terminate Lifecycle Action"), and the reference
 * to one action that Ebb's hook workflows carry (ids only, never fleet data).
 */

export const LAUNCH_DETAIL_TYPE = "EC2 Instance-launch Lifecycle Action";
export const TERMINATE_DETAIL_TYPE = "EC2 Instance-terminate Lifecycle Action";

const instanceId = z.string().regex(/^i-[0-9a-f]{8,17}$/, "an EC2 instance id such as i-0123456789abcdef0");
const token = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, "a lifecycle action token (a UUID)");

export const lifecycleEventSchema = z.object({
  source: z.literal("aws.autoscaling"),
  "detail-type": z.enum([LAUNCH_DETAIL_TYPE, TERMINATE_DETAIL_TYPE]),
  detail: z
    .object({
      LifecycleActionToken: token,
      AutoScalingGroupName: z.string().min(1).max(255),
      LifecycleHookName: z.string().min(1).max(255),
      EC2InstanceId: instanceId,
      LifecycleTransition: z.enum(["autoscaling:EC2_INSTANCE_LAUNCHING", "autoscaling:EC2_INSTANCE_TERMINATING"]),
      NotificationMetadata: z.string().optional(),
    }),
});
export type LifecycleEvent = z.output<typeof lifecycleEventSchema>;

export type LifecycleKind = "launch" | "terminate";

/** One lifecycle action, as the hook workflows pass it from state to state. */
export const actionRefSchema = z.strictObject({
  kind: z.enum(["launch", "terminate"]),
  token,
  autoScalingGroupName: z.string().min(1).max(255),
  lifecycleHookName: z.string().min(1).max(255),
  instanceId,
});
export type ActionRef = z.output<typeof actionRefSchema>;

/** The event's action, or a reason it is not one (detail-type and transition disagree). */
export function actionRefOf(event: LifecycleEvent): ActionRef | string {
  const kind: LifecycleKind = event["detail-type"] === LAUNCH_DETAIL_TYPE ? "launch" : "terminate";
  const expected = kind === "launch" ? "autoscaling:EC2_INSTANCE_LAUNCHING" : "autoscaling:EC2_INSTANCE_TERMINATING";
  if (event.detail.LifecycleTransition !== expected) return `detail-type "${event["detail-type"]}" with LifecycleTransition ${event.detail.LifecycleTransition}`;
  return {
    kind,
    token: event.detail.LifecycleActionToken,
    autoScalingGroupName: event.detail.AutoScalingGroupName,
    lifecycleHookName: event.detail.LifecycleHookName,
    instanceId: event.detail.EC2InstanceId,
  };
}
