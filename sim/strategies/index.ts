import type { RunResult, Strategy } from "../report/report.ts";
import { runEbbDeploy } from "./ebb.ts";
import { runInstanceRefresh } from "./instance-refresh.ts";
import { runTraffic } from "./scaling.ts";
import { runScale } from "./scale.ts";
import { runSeedScript } from "./seed-script.ts";
import { runRemediation } from "./remediation.ts";
import { noExecutions, noLock } from "./types.ts";
import type { StrategyContext, StrategyRunner } from "./types.ts";

const deployRunners: Partial<Record<Strategy, StrategyRunner>> = {
  ebb: runEbbDeploy,
  "seed-script": runSeedScript,
  "instance-refresh": runInstanceRefresh,
  none: () => Promise.reject(new Error("the none strategy only runs remediation scenarios (run.kind remediation)")),
};

/** Runs the scenario's `run`: a rolling deploy or traffic by the chosen strategy, a scale in or out with Ebb's hooks, or idle time. */
export async function runStrategy(strategy: Strategy, context: StrategyContext): Promise<RunResult> {
  const run = context.world.config.run;
  if (run.kind === "remediation") return runRemediation(context);
  if (run.kind === "traffic") {
    if (strategy !== "ebb" && strategy !== "cpu-policy") throw new Error(`the ${strategy} strategy runs rolling deploys; a traffic scenario takes ebb or cpu-policy`);
    return runTraffic(context, strategy);
  }
  if (run.kind === "idle") {
    context.report("idle");
    context.world.advance(run.durationSeconds);
    await context.world.events.flush();
    await context.settle(noLock);
    return { outcome: "Succeeded", cause: undefined, output: undefined, bakeSeconds: 0, stepFunctions: noExecutions };
  }
  if (run.kind === "scale") return runScale(context);
  const runner = deployRunners[strategy];
  if (runner === undefined) throw new Error(`the ${strategy} strategy runs traffic scenarios; a rolling deploy takes ebb, seed-script or instance-refresh`);
  return runner(context);
}
