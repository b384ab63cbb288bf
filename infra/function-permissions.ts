import type { PermissionGroup } from "./iam.ts";

/**
 * The permission groups (infra/iam.ts) of each handler in functions/. A handler that is not
 * listed stops the deploy: new code gets no permissions by accident, and none by default.
 */
export const FUNCTION_PERMISSIONS: Readonly<Record<string, readonly PermissionGroup[]>> = {
  "check-drain": ["read-fleet"],
  "launch-lifecycle-hook": ["read-fleet", "mutate-fleet", "register-targets", "state"],
  "terminate-lifecycle-hook": ["read-fleet", "mutate-fleet", "register-targets", "drain", "state"],
  "remediate-alarm": ["read-fleet", "mutate-fleet", "register-targets", "drain", "state"],
};
