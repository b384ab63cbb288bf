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
 * finishDeploy: restores MaxSize (UpdateAutoScalingGroup), tells the apps an abort left drained to
 * accept connections again (SSM, like the drain) and registers them back, releases the lock.
 */
const FINISH: readonly PermissionGroup[] = ["read-group", "read-targets", "update-group", "drain", "register-targets", "release-lock", "deploy-records"];

export const FUNCTION_PERMISSIONS: Readonly<Record<string, readonly PermissionGroup[]>> = {
  // Read-only: the group, its launch template's versions and the rollback alarms.
  "validate-deploy-input": ["read-group", "read-launch-templates", "read-alarms"],
  "acquire-deploy-lock": ["lock", "deploy-records"],
  "snapshot-fleet": ["read-group", "read-targets", "deploy-records"],
  "plan-deploy": ["read-metrics", "deploy-records"],
  // UpdateAutoScalingGroup with a launch template version: AWS also checks ec2:RunInstances on it.
  "set-target-launch-template": ["update-group", "launch-template", "deploy-records"],
  "prepare-batch": ["read-group", "read-metrics", "read-alarms", "lock", "deploy-records"],
  // Raising the desired capacity past MaxSize raises both in one UpdateAutoScalingGroup.
  "launch-surge-capacity": [...BATCH_STEP, "read-group", "update-group", "set-desired-capacity"],
  "start-batch-drain": [...BATCH_STEP, "read-targets", "deregister-targets", "drain"],
  "check-batch-drain": [...BATCH_STEP, "read-group", "read-targets", "read-metrics"],
  "terminate-drained-instances": [...BATCH_STEP, "read-group", "terminate-instances"],
  // Registers new instances itself when the stage's targetRegistration is "ebb".
  "check-batch-health": [...BATCH_STEP, "read-group", "read-targets", "register-targets"],
  "check-bake": BATCH_STEP,
  "complete-batch": ["deploy-records"],
  "begin-rollback": ["read-group", "read-metrics", "update-group", "launch-template", "deploy-records"],
  "finish-deploy": FINISH,
  "settle-stopped-deploy": FINISH,
};
