import { readLock } from "../../core/lock.ts";
import { runtime } from "../../core/runtime.ts";
import { STOPPED_EXECUTION_STATUSES } from "../../infra/events.ts";
import type { Execution, ExecutionSummary } from "../../emulator/stepfunctions/index.ts";
import type { VirtualTimeline } from "../../emulator/stepfunctions/timeline.ts";
import { readableCause } from "../execution-cause.ts";
import { installLocalEbb } from "../local/ebb.ts";
import type { Outcome, RunResult } from "../report/report.ts";
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
    const cancelDeadline = stopAtDeadline(stepFunctions.timeline, execution, run.maxVirtualSeconds);
    const summary = await execution.done;
    cancelDeadline();
    // A stopped, timed-out or failed deploy is settled by settle-stopped-deploy, on the status-change event.
    if (isStoppedStatus(summary.status)) await ebb.deliverEvents();
    const groupName = String(run.input["autoScalingGroupName"]);
    // The handlers' runtime (DynamoDB included) is Ebb's own while it is installed.
    await context.settle(async () => (await readLock(runtime(), groupName)) !== undefined, ebb.advanceTo);
    const bakeSeconds = Number(run.input["bakeSeconds"] ?? ebb.stage.deployDefaults.bakeSeconds);
    return toRunResult(summary, stepFunctions.executions().map((each) => each.summary()), bakeSeconds);
  } finally {
    await ebb.stop();
  }
}

/**
 * Stops the execution once `seconds` of virtual time have passed, exactly then: a sleeper on the
 * executions' timeline, so the clock stops at the deadline even in the middle of a long Wait.
 * Returns the cancel, to call as soon as the execution is done (before time moves again).
 */
function stopAtDeadline(timeline: VirtualTimeline, execution: Execution, seconds: number): () => void {
  const cancelled = new AbortController();
  const sleeper = timeline.join();
  timeline.sleepUntil(sleeper, timeline.clock.nowMs + seconds * 1000, cancelled.signal).then(
    () => execution.stop("Aborted", `still running after ${seconds} virtual seconds`),
    () => undefined,
  ).finally(() => timeline.leave(sleeper));
  return () => cancelled.abort();
}

const isStoppedStatus = (status: string): boolean => STOPPED_EXECUTION_STATUSES.some((stopped) => stopped === status);

function outcomeOf(summary: ExecutionSummary): Outcome {
  if (summary.status === "SUCCEEDED") return "Succeeded";
  if (summary.status === "FAILED" && summary.error === "RolledBack") return "RolledBack";
  if (summary.status === "FAILED") return "Failed";
  return "Aborted";
}

function toRunResult(top: ExecutionSummary, all: ExecutionSummary[], bakeSeconds: number): RunResult {
  return {
    outcome: outcomeOf(top),
    cause: top.status === "SUCCEEDED" ? undefined : [top.error, readableCause(top.cause)].filter(Boolean).join(": "),
    output: top.output,
    bakeSeconds,
    stepFunctions: {
      executions: all.length,
      stateTransitions: all.reduce((sum, each) => sum + each.stateTransitions, 0),
      maxHistoryEvents: all.reduce((max, each) => Math.max(max, each.historyEvents), 0),
    },
  };
}
