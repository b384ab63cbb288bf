import type { RunResult, Strategy } from "../report/report.ts";
import { runEbbDeploy } from "./ebb.ts";
import { runInstanceRefresh } from "./instance-refresh.ts";
import { runScale } from "./scale.ts";
import { runSeedScript } from "./seed-script.ts";
import { noExecutions, noLock } from "./types.ts";
import type { StrategyContext, StrategyRunner } from "./types.ts";

const runners: Record<Strategy, StrategyRunner> = {
  ebb: runEbbDeploy,
  "seed-script": runSeedScript,
  "instance-refresh": runInstanceRefresh,
};

/** Runs the scenario's `run`: a rolling deploy by the chosen strategy, a scale in or out with Ebb's hooks, or idle time. */
export async function runStrategy(strategy: Strategy, context: StrategyContext): Promise<RunResult> {
  const run = context.world.config.run;
  if (run.kind === "idle") {
    context.report("idle");
    context.world.advance(run.durationSeconds);
    await context.world.events.flush();
    await context.settle(noLock);
    return { outcome: "Succeeded", cause: undefined, output: undefined, bakeSeconds: 0, stepFunctions: noExecutions };
  }
  if (run.kind === "scale") return runScale(context);
  return runners[strategy](context);
}
