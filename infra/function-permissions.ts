import type { PermissionGroup } from "./iam.ts";

/**
 * The permission groups (infra/iam.ts) of each handler in functions/, read off the AWS calls of
 * the core/ code it runs. A handler that is not listed stops the deploy: new code gets no
 * permissions by accident, and none by default. The project test (test/infra/project.test.ts)
 * refuses an entry without a handler, so nothing here is a guess.
 */

/** Every batch step but complete-batch first re-checks the rollback alarms (core/deploy/batch.ts loadBatch). */
const BATCH_STEP: readonly PermissionGroup[] = ["read-alarms", "deploy-records"];

/**
 * The polls also watch the capacity the deploy did not take away (core/deploy/capacity-watch.ts):
 * the group and its targets, and, once an outage is over, clearing the health marks it left.
 */
const WATCHING_STEP: readonly PermissionGroup[] = [...BATCH_STEP, "read-group", "read-targets", "set-instance-health"];

/**
 * finishDeploy: after a failure removes surplus idle instances and sets the launch template back
 * (UpdateAutoScalingGroup, TerminateInstanceInAutoScalingGroup), tells drained apps to accept
 * connections again (SSM, like the drain) and registers them back, clears outage health marks and
 * resumes the processes the deploy suspended, restores the deregistration delays and MaxSize,
 * releases the lock.
 */
const FINISH: readonly PermissionGroup[] = [
  "read-group",
  "read-targets",
  "read-metrics",
  "update-group",
  "terminate-instances",
  "suspend-processes",
  "set-instance-health",
  "launch-template",
  "drain",
  "register-targets",
  "target-group-attributes",
  "release-lock",
  "deploy-records",
];

// "progress-events": PutEvents on the stage's bus, only for the steps that announce a fact (core/progress-events).
export const FUNCTION_PERMISSIONS: Readonly<Record<string, readonly PermissionGroup[]>> = {
  // Read-only: the group, its launch template's versions and the rollback alarms.
  // Read-only: the group, its target groups and connections (deregistration delay check), launch template versions, rollback alarms.
  "validate-deploy-input": ["read-group", "read-targets", "read-metrics", "read-launch-templates", "read-alarms"],
  "acquire-deploy-lock": ["lock", "deploy-records"],
  "snapshot-fleet": ["read-group", "read-targets", "deploy-records"],
  "plan-deploy": ["read-metrics", "deploy-records", "progress-events"],
  // UpdateAutoScalingGroup with a launch template version: AWS also checks ec2:RunInstances on it.
  // First suspends the stage's processes and raises short deregistration delays (recorded first).
  "set-target-launch-template": ["read-group", "update-group", "suspend-processes", "target-group-attributes", "launch-template", "deploy-records"],
  "prepare-batch": ["read-group", "read-targets", "read-metrics", "read-alarms", "lock", "deploy-records"],
  // Raising the desired capacity past MaxSize raises both in one UpdateAutoScalingGroup.
  "launch-surge-capacity": [...BATCH_STEP, "read-group", "update-group", "set-desired-capacity"],
  // The drain pipeline (core/drain): deregister, signal the instances that can take it, then follow the signal (retried once failed).
  "start-batch-drain": [...BATCH_STEP, "read-targets", "deregister-targets", "read-drain-signals", "drain"],
  "check-batch-drain": [...WATCHING_STEP, "read-metrics", "read-instance-status", "read-drain-signals", "drain"],
  "terminate-drained-instances": [...BATCH_STEP, "read-group", "terminate-instances"],
  // Registers new instances itself when the stage's targetRegistration is "ebb".
  "check-batch-health": [...WATCHING_STEP, "register-targets"],
  "check-bake": WATCHING_STEP,
  // Counts the work left (re-planning may need one more batch).
  "complete-batch": ["read-group", "deploy-records", "progress-events"],
  // Registers the failed batch's old instances back and tells them to accept connections again.
  "begin-rollback": ["read-group", "read-targets", "read-metrics", "update-group", "launch-template", "drain", "register-targets", "deploy-records", "progress-events"],
  "finish-deploy": [...FINISH, "progress-events"],
  // Lifecycle hooks: the event handler starts the hook's workflow (idempotent on the action token);
  // the launch steps register, watch target health, heartbeat and complete; the terminate steps drain through the pipeline.
  "lifecycle-event": ["start-hook-workflows", "idempotency"],
  "launch-hook-start": ["read-group", "read-lifecycle-hooks", "read-targets", "register-targets", "lifecycle-actions", "deploy-records"],
  "launch-hook-check": ["read-group", "read-lifecycle-hooks", "read-targets", "deregister-targets", "lifecycle-actions", "deploy-records"],
  "terminate-hook-start": ["read-group", "read-lifecycle-hooks", "read-targets", "read-metrics", "deregister-targets", "read-drain-signals", "drain", "lifecycle-actions", "deploy-records"],
  "terminate-hook-check": ["read-group", "read-lifecycle-hooks", "read-targets", "read-metrics", "read-instance-status", "deregister-targets", "read-drain-signals", "drain", "lifecycle-actions", "deploy-records"],
  "settle-stopped-deploy": [...FINISH, "describe-deploy-execution"],
  // Scheduled: reads the group, its targets and connection gauges, puts the Ebb namespace's fleet metrics.
  "publish-fleet-metrics": ["read-group", "read-targets", "read-metrics", "publish-metrics"],
  // Auto Scaling's custom termination policy: reads the suggested instances' connection gauges, changes nothing.
  "termination-policy": ["read-metrics"],
  // The scheduled reconciler: reads the lock (never takes it), registers and deregisters targets, drains
  // stuck terminations through the drain pipeline and undrains, completes stuck lifecycle actions, keeps its memory and audit log.
  reconcile: [
    "read-group", "read-targets", "read-metrics", "read-instance-status", "read-lifecycle-hooks", "read-drain-signals", "register-targets", "deregister-targets", "drain",
    "lifecycle-actions", "read-hook-workflows", "lock", "deploy-records",
  ],
  // Remediation (core/remediation): the alarm handler only starts the episode's execution.
  "remediate-alarm": ["start-remediation"],
  "begin-remediation": ["read-group", "read-targets", "deploy-records"],
  // Holds ReplaceUnhealthy, suspends HealthCheck for an outage and clears its marks, publishes
  // FleetWideOutage, registers quarantined hosts back (and un-drains them), takes the lock and the budget slot.
  "assess-remediation": [
    "read-group", "read-targets", "read-instances", "read-metrics", "read-alarms", "suspend-processes", "set-instance-health", "publish-metrics",
    "register-targets", "drain", "lock", "release-lock", "deploy-records", "progress-events",
  ],
  // The drain pipeline (core/drain): deregister, signal (and re-signal) the app, read the signal's result;
  // every poll of a drain (the check steps, the reconciler) also asks EC2 whether a host is dead.
  "start-remediation-drain": ["read-group", "set-desired-capacity", "read-targets", "deregister-targets", "read-drain-signals", "drain", "deploy-records"],
  "check-remediation-drain": ["read-group", "read-targets", "read-metrics", "read-instance-status", "read-drain-signals", "drain", "deploy-records"],
  "complete-remediation-drain": ["read-group", "read-targets", "terminate-instances", "deploy-records"],
  "finish-remediation": ["read-group", "terminate-instances", "read-targets", "suspend-processes", "set-instance-health", "publish-metrics", "register-targets", "drain", "release-lock", "deploy-records"],
  // An operator's drain (core/instance-drain): checks the instance and takes the lock, drains through the
  // pipeline renewing the lock, then Standby or terminate; a failed drain undrains and registers it back.
  "start-instance-drain": ["read-group", "read-group-instances", "read-targets", "read-metrics", "deregister-targets", "read-drain-signals", "drain", "lock", "deploy-records"],
  "check-instance-drain": ["read-group", "read-targets", "read-metrics", "read-instance-status", "deregister-targets", "read-drain-signals", "drain", "lock", "deploy-records"],
  "finish-instance-drain": ["read-group", "read-targets", "standby", "terminate-instances", "drain", "register-targets", "release-lock", "deploy-records"],
};
