import type { AdvanceTo } from "../quiescence.ts";
import type { World } from "../world.ts";
import type { RunResult } from "../report/report.ts";
import type { Timeline } from "../report/timeline.ts";

/** Whether the control plane still holds the group's deploy lock (read from its table; a baseline takes none). */
export type LockProbe = () => Promise<boolean>;

export const noLock: LockProbe = () => Promise.resolve(false);

export interface StrategyContext {
  world: World;
  timeline: Timeline;
  /** Tells the progress display and the charts which phase the rollout is in. */
  report(phase: string, batch?: number, batches?: number): void;
  /**
   * Called once by the strategy when its control plane is done but still installed (its handlers
   * still answer events and lifecycle hooks): the world settles and the fleet is read. A strategy
   * with Ebb installed passes its `advanceTo`, so the workflows still running keep up with time.
   */
  settle(lockHeld: LockProbe, advanceTo?: AdvanceTo): Promise<void>;
}

export type StrategyRunner = (context: StrategyContext) => Promise<RunResult>;

export const noExecutions = { executions: 0, stateTransitions: 0, maxHistoryEvents: 0 };
