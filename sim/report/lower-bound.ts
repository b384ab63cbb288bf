import { newTargetHealthySeconds, shedSeconds } from "../../core/timing.ts";
import { appVersionSchema, type ScenarioConfig } from "../config/schema.ts";
import { isRollbackPhase } from "../strategies/ebb-progress.ts";
import type { BatchDrain } from "./timeline.ts";

/**
 * The fastest any control plane could have rolled the fleet through the batches this run
 * actually drained, from the physics alone (core/timing.ts): per batch, its instances shed the
 * connections they held when the batch was deregistered, in parallel at the app's rate; the
 * replacement boots and passes the one health check a new target needs; then the bake the user
 * asked for (deploy batches only: a rollback does not bake). Under a reconnect budget
 * (drain.maxReconnectsPerMinute) no control plane may move a batch's clients faster than the
 * budget, so a batch sheds for at least its connections at the budget's rate. And the world is
 * not quiescent before the last batch's targets have left the load balancer: a target stays
 * `draining` for the whole deregistration delay however soon its connections are gone, so the run
 * lasts at least from the last batch's deregistration (its start, at the earliest) to the end of
 * the target group's configured delay.
 */
export function deployLowerBoundSeconds(config: ScenarioConfig, drains: readonly BatchDrain[], bakeSeconds: number): number {
  const healthCheckIntervalSeconds = config.targetGroup.healthCheck.intervalSeconds;
  const drainInput = config.run.kind === "rolling-deploy" ? config.run.input["drain"] : undefined;
  const budget = typeof drainInput === "object" && drainInput !== null ? (drainInput as Record<string, unknown>)["maxReconnectsPerMinute"] : undefined;
  let total = 0;
  let lastDeregisteredAt = 0;
  for (const drain of drains) {
    lastDeregisteredAt = total;
    const most = Math.max(0, ...Object.values(drain.connections));
    const all = Object.values(drain.connections).reduce((sum, count) => sum + count, 0);
    const budgetSeconds = typeof budget === "number" && budget > 0 ? Math.ceil((all * 60) / budget) : 0;
    const { bootSeconds } = config.app.versions[drain.launchTemplateVersion] ?? appVersionSchema.parse({});
    total += Math.max(shedSeconds(most, config.app.drainRatePerSecond), budgetSeconds);
    total += newTargetHealthySeconds({ bootSeconds, healthCheckIntervalSeconds });
    if (!isRollbackPhase(drain.phase)) total += bakeSeconds;
  }
  return drains.length === 0 ? total : Math.max(total, lastDeregisteredAt + config.targetGroup.deregistrationDelaySeconds);
}
