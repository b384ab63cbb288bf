/** Shapes of the fleet physics: instances, lifecycle actions, targets. */

export type Ec2State = "pending" | "running" | "shutting-down" | "terminated";

/** Auto Scaling lifecycle states the emulator models (a subset of AWS's LifecycleState enum). */
export type LifecycleState =
  | "Pending"
  | "Pending:Wait"
  | "Pending:Proceed"
  | "InService"
  | "EnteringStandby"
  | "Standby"
  | "Terminating"
  | "Terminating:Wait"
  | "Terminating:Proceed"
  | "Terminated";

export type HealthStatus = "Healthy" | "Unhealthy";

export interface LaunchTemplateRef {
  launchTemplateId: string;
  launchTemplateName: string;
  /** The version string as requested ("1", "2", "$Latest"...). */
  version: string;
}

export interface FleetInstance {
  readonly instanceId: string;
  readonly launchIndex: number;
  readonly autoScalingGroupName: string;
  readonly availabilityZone: string;
  readonly launchTemplate: LaunchTemplateRef;
  readonly imageId: string;
  readonly privateIpAddress: string;
  readonly launchTimeMs: number;
  ec2State: Ec2State;
  lifecycleState: LifecycleState;
  healthStatus: HealthStatus;
  protectedFromScaleIn: boolean;
  /** When the app starts answering health checks (launch + boot time). */
  readonly bootedAtMs: number;
  /** The app never comes up on this instance (launch-time boot failure). */
  readonly bootFailed: boolean;
  /** The app version's health check always fails (a bad release). */
  readonly versionHealthy: boolean;
  /** The host died (crashInstance): EC2 still says running, the app answers nothing. */
  crashed: boolean;
  /** When the instance entered InService (for warm-up and the health check grace period). */
  inServiceAtMs: number | undefined;
  /** Back from Standby: the way to InService runs no launch lifecycle hooks (they are for scale out). */
  returningFromStandby: boolean;
  /** Why the ASG is terminating it, for activities and for deciding on replacement. */
  terminationCause: string | undefined;
}

export type LifecycleTransition = "autoscaling:EC2_INSTANCE_LAUNCHING" | "autoscaling:EC2_INSTANCE_TERMINATING";
export type LifecycleResult = "CONTINUE" | "ABANDON";

export interface LifecycleHookSpec {
  lifecycleHookName: string;
  autoScalingGroupName: string;
  lifecycleTransition: LifecycleTransition;
  heartbeatTimeoutSeconds: number;
  defaultResult: LifecycleResult;
  notificationMetadata: string | undefined;
  notificationTargetArn: string | undefined;
  roleArn: string | undefined;
}

export interface LifecycleAction {
  readonly token: string;
  readonly hook: LifecycleHookSpec;
  readonly instanceId: string;
  readonly startedAtMs: number;
  /** Heartbeat timeout: a heartbeat moves it, never past the global deadline. */
  timeoutAtMs: number;
  readonly globalDeadlineMs: number;
  /** undefined while the action is open. */
  result: LifecycleResult | undefined;
  /** "superseded": the instance left the transition (e.g. terminated while in Pending:Wait). */
  completedBy: "api" | "timeout" | "superseded" | undefined;
}

export type TargetHealthState = "initial" | "healthy" | "unhealthy" | "unhealthy.draining" | "unused" | "draining" | "unavailable";

export type TargetHealthReason =
  | "Elb.RegistrationInProgress"
  | "Elb.InitialHealthChecking"
  | "Target.Timeout"
  | "Target.ResponseCodeMismatch"
  | "Target.DeregistrationInProgress"
  | "Target.NotRegistered"
  | "Target.InvalidState"
  | "Target.HealthCheckDisabled";

export interface TargetHealthView {
  state: TargetHealthState;
  reason: TargetHealthReason | undefined;
  description: string | undefined;
}
