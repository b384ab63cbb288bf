import type { World } from "../world.ts";
import type { RunResult } from "../report/report.ts";
import type { Timeline } from "../report/timeline.ts";

export interface StrategyContext {
  world: World;
  timeline: Timeline;
  /** Tells the progress display and the charts which phase the rollout is in. */
  report(phase: string, batch?: number, batches?: number): void;
}

export type StrategyRunner = (context: StrategyContext) => Promise<RunResult>;

export const noExecutions = { executions: 0, stateTransitions: 0, maxHistoryEvents: 0 };
