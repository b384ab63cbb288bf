import type { ExecutionSummary } from "../../stepfunctions/index.ts";
import { readableCause } from "../execution-cause.ts";
import { installLocalEbb } from "../local-ebb.ts";
import type { Outcome, RunResult } from "../report.ts";
import { EbbProgress } from "./ebb-progress.ts";
import type { StrategyContext } from "./types.ts";

/**
 * Ebb itself: the real ASL from workflows/ on the local Step Functions runner, each Task running
 * its handler from functions/, the handlers' SDK clients talking to the emulated account.
 */
export async function runEbbDeploy(context: StrategyContext): Promise<RunResult> {
  const { world } = context;
  const run = world.config.run;
  if (run.kind !== "rolling-deploy") throw new Error("the ebb strategy runs rolling deploys");
  const ebb = await installLocalEbb(world, { onEvent: new EbbProgress(context).onEvent });
  try {
    const { stepFunctions } = ebb;
    const execution = stepFunctions.start(ebb.stateMachineArn, run.input, { name: "simulated-deploy" });
    const deadlineMs = world.clock.nowMs + run.maxVirtualSeconds * 1000;
    const unsubscribe = stepFunctions.subscribe(() => {
      if (world.clock.nowMs > deadlineMs) execution.stop("Aborted", `still running after ${run.maxVirtualSeconds} virtual seconds`);
    });
    const summary = await execution.done;
    unsubscribe();
    const bakeSeconds = Number(run.input["bakeSeconds"] ?? ebb.stage.deployDefaults.bakeSeconds);
    return toRunResult(summary, stepFunctions.executions().map((each) => each.summary()), bakeSeconds);
  } finally {
    await ebb.stop();
  }
}

function outcomeOf(summary: ExecutionSummary): Outcome {
  if (summary.status === "SUCCEEDED") return "Succeeded";
  if (summary.status === "FAILED" && summary.error === "RolledBack") return "RolledBack";
  if (summary.status === "FAILED") return "Failed";
  return "Aborted";
}

function toRunResult(top: ExecutionSummary, all: ExecutionSummary[], bakeSeconds: number): RunResult {
  const children = all.filter((each) => each.parentArn !== undefined);
  return {
    outcome: outcomeOf(top),
    cause: top.status === "SUCCEEDED" ? undefined : [top.error, readableCause(top.cause)].filter(Boolean).join(": "),
    output: top.output,
    batches: children.length,
    bakeSeconds,
    stepFunctions: {
      executions: all.length,
      stateTransitions: all.reduce((sum, each) => sum + each.stateTransitions, 0),
      maxHistoryEvents: all.reduce((max, each) => Math.max(max, each.historyEvents), 0),
    },
  };
}
