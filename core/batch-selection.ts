import type { DeployMode } from "./deploy-settings.ts";
import { fitsBudget, type ReconnectBudget } from "./drain/pacing.ts";
import type { InstanceView } from "./types.ts";

/**
 * Each batch is chosen when it starts, from the fleet as it is then, not as it was planned: the
 * plan fixes the order and the size, the current health fixes who goes. Only InService instances
 * are taken (a launching one cannot be drained or signalled yet, it waits for a later batch);
 * instances that already stopped serving go first and cost nothing, since taking them out loses
 * no capacity; and in replace mode no more serving instances are taken than keep
 * minHealthyPercent of the configured capacity serving. Nothing eligible while work remains: the
 * batch waits.
 */

export interface BatchSelectionRequest {
  /** Planned and not yet replaced, in plan order (the phase's whole remaining work). */
  remaining: readonly InstanceView[];
  /** Instances of the group serving in every target group now. */
  serving: ReadonlySet<string>;
  /** Serving instances in the whole group (the batch's candidates and everybody else). */
  servingCount: number;
  /** The capacity the deploy holds the group to (as configured before it). */
  desiredCapacity: number;
  minHealthyPercent: number;
  mode: DeployMode;
  /** At most this many instances per batch. */
  batchSize: number;
  /** At most this many serving instances per batch (the plan's cap). */
  maxServingOutOfService: number;
  /** A reconnect budget: no more instances than can shed together at its rate before the drain's deadline (at least one). */
  reconnectBudget?: { budget: ReconnectBudget; connections: Readonly<Record<string, number>> };
}

export interface BatchSelection {
  instanceIds: string[];
  /** Remaining instances not taken because they are not InService yet (launching, standby on its way back). */
  notInService: string[];
  /** Serving instances not taken so that minHealthyPercent holds. */
  heldForCapacity: string[];
  /** How many serving instances may leave service now. */
  servingBudget: number;
  /** Instances left for a later batch so that the reconnect budget holds. */
  heldForReconnectBudget: string[];
}

export const minHealthyCount = (desiredCapacity: number, minHealthyPercent: number): number => Math.ceil((desiredCapacity * minHealthyPercent) / 100);

export function selectBatch(request: BatchSelectionRequest): BatchSelection {
  const floor = minHealthyCount(request.desiredCapacity, request.minHealthyPercent);
  const servingBudget =
    request.mode === "replace" ? Math.max(0, Math.min(request.maxServingOutOfService, request.servingCount - floor)) : request.batchSize;
  const inService = request.remaining.filter((instance) => instance.lifecycleState === "InService");
  const notInService = request.remaining.filter((instance) => instance.lifecycleState !== "InService").map((instance) => instance.instanceId);
  const ordered = [...inService.filter((instance) => !request.serving.has(instance.instanceId)), ...inService.filter((instance) => request.serving.has(instance.instanceId))];
  const instanceIds: string[] = [];
  const heldForCapacity: string[] = [];
  const heldForReconnectBudget: string[] = [];
  const paced = request.reconnectBudget;
  const counts = (ids: readonly string[]): number[] => ids.map((id) => paced?.connections[id] ?? 0);
  let servingTaken = 0;
  for (const instance of ordered) {
    if (instanceIds.length >= request.batchSize) break;
    if (paced !== undefined && instanceIds.length > 0 && !fitsBudget(paced.budget, counts([...instanceIds, instance.instanceId]))) {
      heldForReconnectBudget.push(instance.instanceId);
      continue;
    }
    const isServing = request.serving.has(instance.instanceId);
    if (isServing && servingTaken >= servingBudget) {
      heldForCapacity.push(instance.instanceId);
      continue;
    }
    instanceIds.push(instance.instanceId);
    if (isServing) servingTaken += 1;
  }
  return { instanceIds, notInService, heldForCapacity, servingBudget, heldForReconnectBudget };
}
