/**
 * The fleet-wide reconnect budget: every connection an app sheds is a client reconnecting to
 * another instance, so the instances that drain at once share the budget's rate between them.
 */

/** Keeps a fifth of the drain's deadline for the signal's delivery and for connection counts that are a minute old. */
const WINDOW_SHARE = 0.8;

export interface ReconnectBudget {
  maxReconnectsPerMinute: number | undefined;
  /** The app's own shedding rate (the stage's estimate): pacing only ever slows it. */
  appShedRatePerSecond: number;
  /** drain.timeoutSeconds: a paced drain must still end before it. */
  timeoutSeconds: number;
}

/** Paces to a twentieth under the budget: clients' jitter bunches a few reconnects into the same minute. */
const HEADROOM = 0.95;

const budgetPerSecond = (budget: ReconnectBudget, instances: number): number => ((budget.maxReconnectsPerMinute ?? 0) * HEADROOM) / 60 / instances;

/** The seconds a paced drain may take: most of its deadline. */
export const pacingWindowSeconds = (budget: ReconnectBudget): number => Math.max(1, Math.floor(budget.timeoutSeconds * WINDOW_SHARE));

/**
 * The rate each of the draining instances is told to shed at: an equal share of the budget, never
 * above the app's own rate, and never so slow that the busiest would still hold connections at
 * the deadline (the cut would reconnect them all at once, which is worse than a faster drain).
 */
export function pacedShedRate(budget: ReconnectBudget, connections: readonly number[]): number {
  if (budget.maxReconnectsPerMinute === undefined || connections.length === 0) return budget.appShedRatePerSecond;
  const share = budgetPerSecond(budget, connections.length);
  const busiest = Math.max(0, ...connections);
  const needed = busiest / pacingWindowSeconds(budget);
  return Number(Math.min(budget.appShedRatePerSecond, Math.max(share, needed)).toFixed(3));
}

/** Whether these instances can drain together within the budget and before the deadline. */
export function fitsBudget(budget: ReconnectBudget, connections: readonly number[]): boolean {
  if (budget.maxReconnectsPerMinute === undefined || connections.length <= 1) return true;
  const share = Math.min(budget.appShedRatePerSecond, budgetPerSecond(budget, connections.length));
  return Math.max(0, ...connections) / share <= pacingWindowSeconds(budget);
}

/** The paced drain command: the app's own when unpaced, else with the rate it must hold. */
export const pacedDrainCommand = (drainCommand: string, rate: number | undefined): string =>
  rate === undefined ? drainCommand : `${drainCommand} --rate ${rate}`;
