import { audit, updateDeploy } from "../deploy-store.ts";
import type { Runtime } from "../runtime.ts";
import type { DeployRecord, GroupView } from "../types.ts";
import { snapshotOf } from "./context.ts";

/**
 * The desired capacity the group is configured for, apart from the deploy's own surge. Anyone may
 * call SetDesiredCapacity while a deploy runs (an operator, a scaling policy); their value is the
 * group's configuration from then on, and a deploy removes only what it added on top, never their
 * change. A change is told from the deploy's own by the value the deploy expects the group at
 * after its own last change: the group at any other value was set by someone else.
 */

/** What the group is configured for without the deploy's surge: the snapshot's, or what someone else last set. */
export const configuredCapacity = (record: DeployRecord): number => record.desiredCapacity?.configured ?? snapshotOf(record).desiredCapacity;

const expectedCapacity = (record: DeployRecord): number => record.desiredCapacity?.expected ?? snapshotOf(record).desiredCapacity;

/** Adopts someone else's change when the group is not at the value the deploy left it at. */
export async function noticeCapacityChange(rt: Runtime, record: DeployRecord, group: GroupView): Promise<DeployRecord> {
  const expected = expectedCapacity(record);
  if (group.desiredCapacity === expected) return record;
  const updated = await updateDeploy(rt, record.deployId, { desiredCapacity: { configured: group.desiredCapacity, expected: group.desiredCapacity } });
  await audit(rt, record.deployId, { step: "desired-capacity-changed", detail: { expected, found: group.desiredCapacity, note: "set by someone else: kept as the group's configuration" } });
  return updated;
}

/** Records the value the deploy's own change leaves the group at. */
export function expectCapacity(rt: Runtime, record: DeployRecord, expected: number): Promise<DeployRecord> {
  return updateDeploy(rt, record.deployId, { desiredCapacity: { configured: configuredCapacity(record), expected } });
}
