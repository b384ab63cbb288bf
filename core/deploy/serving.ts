import { signalUndrain } from "../drain/signal.ts";
import { liveInstances } from "../fleet.ts";
import type { Runtime } from "../runtime.ts";
import { describeTargets, notServingByGroup, registerInstances } from "../targets.ts";
import type { DeployRecord, GroupView } from "../types.ts";
import { targetGroupArnsOf } from "./context.ts";

/** Instances a deploy or rollback batch was planned to drain: the only ones a deploy tells to drain. */
const plannedToDrain = (record: DeployRecord): Set<string> =>
  new Set([record.plan, record.rollback?.plan].flatMap((plan) => plan?.batches.flatMap((batch) => batch.instanceIds) ?? []));

export interface ReRegistered {
  stranded: string[];
  /** SSM command ids of the undrain signal. */
  undrainCommandIds: string[];
  /** Why the undrain signal could not be sent (the instances were registered back all the same). */
  undrainError?: string;
}

/** Serving again matters more than the signal: a failed SendCommand is recorded, never a reason to leave instances out. */
async function tryUndrain(rt: Runtime, record: DeployRecord, stranded: readonly string[]): Promise<Omit<ReRegistered, "stranded">> {
  const planned = plannedToDrain(record);
  try {
    return { undrainCommandIds: await signalUndrain(rt, stranded.filter((id) => planned.has(id)), record.input.drain.signal) };
  } catch (error) {
    const failure = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return { undrainCommandIds: [], undrainError: failure };
  }
}

/**
 * No running InService instance (of `onlyIds`, when given) stays deregistered or drained. The
 * drained app is told to accept connections again before it is registered back: a retry after a
 * crash in between still finds it stranded and signals it again (harmless), never the other way round.
 */
export async function reRegisterStranded(rt: Runtime, record: DeployRecord, group: GroupView, onlyIds?: readonly string[]): Promise<ReRegistered> {
  const targetGroupArns = targetGroupArnsOf(record);
  const wanted = onlyIds === undefined ? undefined : new Set(onlyIds);
  const inService = liveInstances(group).filter((instance) => instance.lifecycleState === "InService" && (wanted === undefined || wanted.has(instance.instanceId)));
  const states = await describeTargets(rt.clients.elbv2, targetGroupArns, inService.map((instance) => instance.instanceId));
  const missingByGroup = notServingByGroup(states, targetGroupArns);
  const stranded = [...new Set([...missingByGroup.values()].flat())];
  if (stranded.length === 0) return { stranded, undrainCommandIds: [] };
  const undrain = await tryUndrain(rt, record, stranded);
  for (const [arn, missing] of missingByGroup) await registerInstances(rt.clients.elbv2, [arn], missing);
  return { stranded, ...undrain };
}
