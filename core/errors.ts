/**
 * Named errors. The Lambda runtime reports `error.name` as the errorType, which Step Functions
 * turns into the state's Error, so these names are the workflow's contract (Catch, Fail, the CLI).
 */
export class EbbError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

/** An error's Cause must stay far below Step Functions' payload quota, however many problems there are. */
const LISTED_PROBLEMS = 50;

const listProblems = (problems: readonly string[]): string => {
  const listed = problems.slice(0, LISTED_PROBLEMS).map((problem, index) => `(${index + 1}) ${problem}`).join("; ");
  const more = problems.length > LISTED_PROBLEMS ? `; and ${problems.length - LISTED_PROBLEMS} more` : "";
  return `${problems.length} problem${problems.length === 1 ? "" : "s"}: ${listed}${more}`;
};

/** The handler's code reached an SDK client its bundle does not carry (its core/clients module is not imported). */
export class ClientNotCarried extends EbbError {
  constructor(client: string) {
    super("ClientNotCarried", `The ${client} client is not carried by this function: import core/clients for it in the handler.`);
  }
}

/** The workflow input is wrong; every problem is listed and nothing was changed. */
export class InvalidDeployInput extends EbbError {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super("InvalidDeployInput", `Invalid deploy input, nothing was changed. ${listProblems(problems)}`);
    this.problems = problems;
  }
}

/** The Auto Scaling group is not one this stage may touch. */
export class AutoScalingGroupNotAllowed extends EbbError {
  constructor(groupName: string, allowed: readonly string[]) {
    super(
      "AutoScalingGroupNotAllowed",
      `Auto Scaling group "${groupName}" is not in this stage's autoScalingGroups (${allowed.join(", ")}); nothing was changed`,
    );
  }
}

/** A handler received an event of the wrong shape (a wiring mistake, not a user input). */
export class InvalidEvent extends EbbError {
  constructor(handler: string, problems: readonly string[]) {
    super("InvalidEvent", `${handler} received an invalid event: ${listProblems(problems)}`);
  }
}

/** Another deploy or a remediation holds the Auto Scaling group's lock. */
export class DeployInProgress extends EbbError {
  constructor(groupName: string, owner: string, kind: string, expiresAt: string) {
    super("DeployInProgress", `Auto Scaling group "${groupName}" is locked by ${kind} ${owner} until ${expiresAt}`);
  }
}

/**
 * This deploy no longer holds its group's lock (the lease lapsed and another execution took it):
 * it must not touch the fleet again, nor release a lock that is not its own.
 */
export class DeployLockLost extends EbbError {
  constructor(groupName: string, owner: string, holder: string | undefined) {
    super(
      "DeployLockLost",
      `deploy ${owner} lost the lock on "${groupName}" (${holder === undefined ? "the lock is gone" : `now held by ${holder}`}); it stopped without touching the fleet again`,
    );
  }
}

/** A rollback alarm is in ALARM: the deploy must stop and roll back. */
export class RollbackAlarmFired extends EbbError {
  constructor(alarms: readonly { name: string; reason: string }[]) {
    super("RollbackAlarmFired", `rollback alarm in ALARM: ${alarms.map((alarm) => `${alarm.name} (${alarm.reason})`).join("; ")}`);
  }
}

/** New instances did not become healthy in every target group in time. */
export class HealthCheckTimeout extends EbbError {
  constructor(message: string) {
    super("HealthCheckTimeout", message);
  }
}

/** Health was to be verified in no target group at all, which would pass vacuously. */
export class NoTargetGroups extends EbbError {
  constructor(message: string) {
    super("NoTargetGroups", message);
  }
}

/** Healthy capacity dropped for a reason that is not the deploy (an outage, scaling, someone else's termination). */
export class CapacityLost extends EbbError {
  constructor(message: string) {
    super("CapacityLost", message);
  }
}

/** A batch had work left but could not start in time: its instances were still launching, or taking them would breach minHealthyPercent. */
export class BatchCannotStart extends EbbError {
  constructor(message: string) {
    super("BatchCannotStart", message);
  }
}

/** The plan cannot respect the input's constraints (e.g. minHealthyPercent on this fleet). */
export class DeployPlanInfeasible extends EbbError {
  constructor(message: string) {
    super("DeployPlanInfeasible", message);
  }
}

/** The Auto Scaling group or its launch template cannot be deployed by Ebb as configured. */
export class UnsupportedAutoScalingGroup extends EbbError {
  constructor(message: string) {
    super("UnsupportedAutoScalingGroup", message);
  }
}

/** A deploy record that the workflow expects is missing or in the wrong state. */
export class DeployStateError extends EbbError {
  constructor(message: string) {
    super("DeployStateError", message);
  }
}

/** The stage configuration (EBB_STAGE_CONFIG) is missing or invalid. */
export class StageConfigInvalid extends EbbError {
  constructor(problems: readonly string[]) {
    super("StageConfigInvalid", `EBB_STAGE_CONFIG is invalid: ${listProblems(problems)}`);
  }
}

/** A remediation episode's record is missing or was changed under a step (the step is retried by the workflow). */
export class RemediationStateError extends EbbError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("RemediationStateError", message);
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}

/** The alarm event does not name a target group of a group this stage remediates. */
export class AlarmNotRemediable extends EbbError {
  constructor(alarmName: string, why: string) {
    super("AlarmNotRemediable", `Alarm "${alarmName}" starts no remediation: ${why}; nothing was changed`);
  }
}

/** A drain step ran out of order (checked before it was started, finished before it was drained). */
export class DrainNotFinished extends EbbError {
  constructor(message: string) {
    super("DrainNotFinished", message);
  }
}

/** A lifecycle event names a hook its Auto Scaling group does not have. */
export class LifecycleHookNotFound extends EbbError {
  constructor(message: string) {
    super("LifecycleHookNotFound", message);
  }
}

/** `ebb drain` refuses this instance (unknown, outside the stage's groups, not InService, or MinSize would be broken); nothing was changed. */
export class InstanceNotDrainable extends EbbError {
  constructor(instanceId: string, why: string) {
    super("InstanceNotDrainable", `cannot drain ${instanceId}: ${why}; nothing was changed`);
  }
}
