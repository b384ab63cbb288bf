import { CompleteLifecycleActionCommand, DescribeLifecycleHooksCommand, RecordLifecycleActionHeartbeatCommand } from "@aws-sdk/client-auto-scaling";
import { DeregisterTargetsCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { audit } from "../deploy-store.ts";
import { latestConnections } from "../connections.ts";
import { markRestored, openDeregistrations, type EbbDeregistration } from "../drain/deregistrations.ts";
import { checkDrain, finishDrain, startDrain } from "../drain/pipeline.ts";
import { deregisterOrder } from "../drain/order.ts";
import type { DrainRequest } from "../drain/request.ts";
import { signalUndrain } from "../drain/signal.ts";
import { describeGroup } from "../fleet.ts";
import { readLock } from "../lock.ts";
import type { Runtime } from "../runtime.ts";
import { describeTargetGroupSettings, describeTargets, registerInstances, servingTargets, targetGroupArnsFor } from "../targets.ts";
import type { GroupView } from "../types.ts";
import { instancesInHookWorkflows, type HookWorkflowArns } from "./hook-workflows.ts";
import { readMemory, writeMemory, type StoredMemory } from "./memory.ts";
import { planRepairs, type ObservedGroup, type RepairPlan, type WaitSighting } from "./plan.ts";

/** The schedule's period: EventBridge runs the reconciler once a minute. */
export const RECONCILE_PERIOD_SECONDS = 60;

/** What one run did to one group. */
export interface GroupRepairs {
  autoScalingGroupName: string;
  /** Why nothing was done (a deploy holds the lock, another run got there first). */
  skipped?: string;
  registered: RepairPlan["register"];
  deregistered: RepairPlan["deregister"];
  completed: RepairPlan["complete"];
  drained: string[];
  undrained: string[];
  /** Actions that had ended by the time the reconciler completed them ("No active Lifecycle Action found"): logged, never retried. */
  alreadyEnded: string[];
}

export interface ReconcileSummary {
  groups: GroupRepairs[];
  repairs: number;
}

const noActiveAction = (error: unknown): boolean =>
  error instanceof Error && error.name === "ValidationError" && error.message.includes("No active Lifecycle Action found");

/** A deploy or remediation holding a live lease owns the group: the reconciler keeps out of its way. */
async function lockHolder(rt: Runtime, groupName: string): Promise<string | undefined> {
  const lock = await readLock(rt, groupName);
  if (lock === undefined || lock.leaseExpiresAt * 1000 <= rt.clock.now().getTime()) return undefined;
  return `${lock.kind} ${lock.owner} holds the group's lock`;
}

interface Observation {
  group: ObservedGroup;
  view: GroupView;
  delaySeconds: number;
  /** The drain pipeline's open deregistration records of the group's InService instances (`asg` mode only). */
  deregistrations: ReadonlyMap<string, EbbDeregistration>;
}

async function observe(rt: Runtime, groupName: string, workflows: HookWorkflowArns): Promise<Observation> {
  const view = await describeGroup(rt.clients.autoScaling, groupName);
  const arns = targetGroupArnsFor(view, rt.stage);
  const ids = view.instances.map((instance) => instance.instanceId);
  const states = await describeTargets(rt.clients.elbv2, arns, ids);
  const hooks = await rt.clients.autoScaling.send(new DescribeLifecycleHooksCommand({ AutoScalingGroupName: groupName }));
  const settings = await describeTargetGroupSettings(rt.clients.elbv2, arns);
  const waiting = view.instances.some((instance) => instance.lifecycleState.endsWith(":Wait"));
  const inService = view.instances.filter((instance) => instance.lifecycleState === "InService").map((instance) => instance.instanceId);
  const deregistrations = rt.stage.targetRegistration === "asg" ? await openDeregistrations(rt, inService) : new Map<string, EbbDeregistration>();
  return {
    group: {
      name: groupName,
      targetRegistration: rt.stage.targetRegistration,
      targetGroupArns: arns,
      registrationSuspended: view.suspendedProcesses.includes("AddToLoadBalancer"),
      instances: view.instances.map((instance) => ({ ...instance, targets: states.get(instance.instanceId) ?? new Map() })),
      serving: await servingTargets(rt.clients.elbv2, arns),
      inHookWorkflows: waiting ? await instancesInHookWorkflows(rt, workflows) : new Set(),
      ebbDeregistered: new Map([...deregistrations].map(([instanceId, record]) => [instanceId, record.targetGroupArns])),
      hooks: (hooks.LifecycleHooks ?? []).flatMap((hook) =>
        hook.LifecycleHookName === undefined ? [] : [{ name: hook.LifecycleHookName, transition: hook.LifecycleTransition === "autoscaling:EC2_INSTANCE_LAUNCHING" ? "launch" as const : "terminate" as const }]),
    },
    view,
    delaySeconds: Math.max(0, ...settings.map((setting) => setting.deregistrationDelaySeconds)),
    deregistrations,
  };
}

async function completeActions(rt: Runtime, groupName: string, completions: RepairPlan["complete"], repairs: GroupRepairs): Promise<void> {
  for (const completion of completions) {
    try {
      await rt.clients.autoScaling.send(
        new CompleteLifecycleActionCommand({
          AutoScalingGroupName: groupName,
          LifecycleHookName: completion.hookName,
          InstanceId: completion.instanceId,
          LifecycleActionResult: completion.result,
        }),
      );
      repairs.completed.push(completion);
    } catch (error) {
      if (!noActiveAction(error)) throw error;
      repairs.alreadyEnded.push(completion.instanceId);
    }
  }
}

/** Target repairs and the completions decided from one look (recorded in the memory before any of them). */
async function applyDirect(rt: Runtime, observation: Observation, plan: RepairPlan, repairs: GroupRepairs): Promise<void> {
  const { group } = observation;
  for (const arn of new Set(plan.register.map((repair) => repair.targetGroupArn))) {
    await registerInstances(rt.clients.elbv2, [arn], plan.register.filter((repair) => repair.targetGroupArn === arn).map((repair) => repair.instanceId));
  }
  repairs.registered = plan.register;
  await markRestored(rt, plan.restored.flatMap((instanceId) => observation.deregistrations.get(instanceId) ?? []));
  // An instance a crashed control plane told to drain refuses connections until told otherwise; harmless for any other.
  const registeredIds = [...new Set(plan.register.map((repair) => repair.instanceId))];
  if ((await signalUndrain(rt, registeredIds, rt.stage.deployDefaults.drain.signal)).length > 0) repairs.undrained = registeredIds;
  for (const { instanceId, targetGroupArn } of plan.deregister) {
    await rt.clients.elbv2.send(new DeregisterTargetsCommand({ TargetGroupArn: targetGroupArn, Targets: [{ Id: instanceId }] }));
  }
  repairs.deregistered = plan.deregister;
  await completeActions(rt, group.name, plan.complete, repairs);
}

/**
 * A stuck termination's drain through the one drain pipeline: the sighting is its journal, the
 * reconciler's audit log its audit, one pipeline step per run; the step after the drain
 * completes the terminate hooks' actions with CONTINUE.
 */
function stuckTerminationDrain(rt: Runtime, observation: Observation, sighting: WaitSighting, instanceId: string, connectionsAtStart: Record<string, number>): DrainRequest<RepairPlan["complete"]> {
  const { group } = observation;
  return {
    cause: `reconciler: ${instanceId} stuck in Terminating:Wait since ${sighting.since}`,
    instanceIds: [instanceId],
    targetGroupArns: group.targetGroupArns,
    policy: rt.stage.lifecycleHooks.drain,
    deregistrationDelaySeconds: observation.delaySeconds,
    connectionsAtStart,
    deregister: deregisterOrder(rt.stage.lifecycleHooks.drain, rt.stage.estimates.shedRatePerSecond, connectionsAtStart, observation.delaySeconds),
    journal: {
      get state() {
        return sighting.drain ?? {};
      },
      record: async (set, once = {}) => {
        const current = sighting.drain ?? {};
        const kept = Object.fromEntries(Object.entries(once).filter(([field]) => !(field in current)));
        sighting.drain = { ...current, ...set, ...kept };
        return sighting.drain;
      },
      audit: (step, detail) => audit(rt, `reconciler#${group.name}`, { step: `${step}#${instanceId}`, detail }),
    },
    afterDrain: async () =>
      group.hooks.filter((hook) => hook.transition === "terminate").map((hook) => ({
        instanceId, hookName: hook.name, result: "CONTINUE" as const, waitedSeconds: (rt.clock.now().getTime() - Date.parse(sighting.since)) / 1000,
      })),
  };
}

/** Keeps a drain the reconciler runs from ending at the HeartbeatTimeout (one a run; a HeartbeatTimeout shorter than the schedule's minute is not covered). */
async function heartbeat(rt: Runtime, group: ObservedGroup, instanceId: string): Promise<void> {
  for (const hook of group.hooks.filter((each) => each.transition === "terminate")) {
    try {
      await rt.clients.autoScaling.send(new RecordLifecycleActionHeartbeatCommand({ AutoScalingGroupName: group.name, LifecycleHookName: hook.name, InstanceId: instanceId }));
    } catch (error) {
      if (!noActiveAction(error)) throw error;
    }
  }
}

/**
 * One pipeline step for each stuck termination; the drained ones are marked completed in the
 * memory (conditionally, as every write) before their actions are completed.
 */
async function applyDrains(rt: Runtime, observation: Observation, plan: RepairPlan, written: StoredMemory, repairs: GroupRepairs): Promise<string | undefined> {
  if (plan.drain.length === 0) return undefined;
  const finished: DrainRequest<RepairPlan["complete"]>[] = [];
  for (const instanceId of plan.drain) {
    const sighting = plan.memory[instanceId];
    if (sighting === undefined) continue;
    // A drain that sheds before it deregisters has started once the app was told.
    const started = (sighting.drain?.deregisteredAt ?? sighting.drain?.drainStartedAt) !== undefined;
    const connections = started ? {} : await latestConnections(rt.clients.cloudWatch, rt.stage.connectionMetric, [instanceId], rt.clock.now());
    const request = stuckTerminationDrain(rt, observation, sighting, instanceId, connections);
    const poll = started ? await checkDrain(rt, request, observation.view) : await startDrain(rt, request);
    if (!started) repairs.drained.push(instanceId);
    if (poll.done) {
      sighting.completed = "CONTINUE";
      finished.push(request);
    } else await heartbeat(rt, observation.group, instanceId);
  }
  if (!(await writeMemory(rt, observation.group.name, written, plan.memory))) return "another reconciler run is at work on the group";
  for (const request of finished) await completeActions(rt, observation.group.name, await finishDrain(rt, request), repairs);
  return undefined;
}

async function reconcileGroup(rt: Runtime, groupName: string, workflows: HookWorkflowArns): Promise<GroupRepairs> {
  const repairs: GroupRepairs = { autoScalingGroupName: groupName, registered: [], deregistered: [], completed: [], drained: [], undrained: [], alreadyEnded: [] };
  const held = await lockHolder(rt, groupName);
  if (held !== undefined) return { ...repairs, skipped: held };
  const observation = await observe(rt, groupName, workflows);
  const { group } = observation;
  const memory = await readMemory(rt, groupName);
  const plan = planRepairs(group, memory.waits, { now: rt.clock.now(), stuckAfterSeconds: 2 * RECONCILE_PERIOD_SECONDS });
  // Looked at again just before acting: a deploy that started meanwhile wins.
  const heldNow = await lockHolder(rt, groupName);
  if (heldNow !== undefined) return { ...repairs, skipped: heldNow };
  if (!(await writeMemory(rt, groupName, memory, plan.memory))) return { ...repairs, skipped: "another reconciler run is at work on the group" };
  await applyDirect(rt, observation, plan, repairs);
  const conflict = await applyDrains(rt, observation, plan, { waits: memory.waits, version: memory.version + 1 }, repairs);
  return conflict === undefined ? repairs : { ...repairs, skipped: conflict };
}

const repairCount = (repairs: GroupRepairs): number =>
  repairs.registered.length + repairs.deregistered.length + repairs.completed.length + repairs.drained.length;

/**
 * One pass over the stage's groups, repairing what the control plane's events should have kept
 * right (planRepairs). Whatever it repairs goes to the audit log.
 */
export async function reconcile(rt: Runtime, workflows: HookWorkflowArns): Promise<ReconcileSummary> {
  const groups: GroupRepairs[] = [];
  for (const groupName of rt.stage.autoScalingGroups) {
    const repairs = await reconcileGroup(rt, groupName, workflows);
    groups.push(repairs);
    if (repairCount(repairs) > 0) {
      await audit(rt, `reconciler#${groupName}`, { step: `repair#${rt.clock.now().toISOString()}`, detail: { ...repairs } });
    }
  }
  const summary = { groups, repairs: groups.reduce((sum, repairs) => sum + repairCount(repairs), 0) };
  rt.logger.info("reconcile", { ...summary });
  return summary;
}
