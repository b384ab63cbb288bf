import { AutoScalingClient, SetDesiredCapacityCommand } from "@aws-sdk/client-auto-scaling";
import type { ExecutionSummary } from "../../emulator/stepfunctions/index.ts";
import { operatorClientConfig } from "../operator.ts";
import { readableCause } from "../execution-cause.ts";
import { installLocalEbb } from "../local/ebb.ts";
import { unsettledWork } from "../quiescence.ts";
import type { RunResult } from "../report/report.ts";
import { noLock, type StrategyContext } from "./types.ts";

/**
 * A scale in or out as an operator (or a scaling policy) does it, SetDesiredCapacity, with Ebb
 * installed: the ASG's lifecycle actions reach its rules on the event bus and run its hook
 * workflows for real. Virtual time moves on the executions' timeline (a Wait costs no wall time)
 * until the world is quiescent and no hook workflow is still running.
 */
export async function runScale(context: StrategyContext): Promise<RunResult> {
  const { world } = context;
  const run = world.config.run;
  if (run.kind !== "scale") throw new Error("runScale runs scale scenarios");
  const ebb = await installLocalEbb(world);
  try {
    context.report("scale");
    await new AutoScalingClient(operatorClientConfig(world)).send(
      new SetDesiredCapacityCommand({ AutoScalingGroupName: world.config.fleet.autoScalingGroupName, DesiredCapacity: run.desiredCapacity, HonorCooldown: false }),
    );
    const { stepFunctions } = ebb;
    const running = (): number => stepFunctions.executions().filter((execution) => execution.summary().status === "RUNNING").length;
    const timeline = stepFunctions.timeline;
    const watcher = timeline.join();
    const deadlineMs = world.clock.nowMs + run.maxVirtualSeconds * 1000;
    try {
      // The ASG acts on the new capacity at its next step: time moves at least once.
      do await timeline.sleep(watcher, 1);
      while (world.clock.nowMs < deadlineMs && (unsettledWork(world).length > 0 || running() > 0));
    } finally {
      timeline.leave(watcher);
    }
    await context.settle(noLock, ebb.advanceTo);
    return toRunResult(stepFunctions.executions().map((execution) => execution.summary()));
  } finally {
    await ebb.stop();
  }
}

function toRunResult(all: ExecutionSummary[]): RunResult {
  const failed = all.filter((summary) => summary.status !== "SUCCEEDED");
  const first = failed[0];
  return {
    outcome: failed.length === 0 ? "Succeeded" : "Failed",
    cause: first === undefined ? undefined : `${failed.length} hook workflow(s) did not succeed; first: ${first.name} ${first.status} ${[first.error, readableCause(first.cause)].filter(Boolean).join(": ")}`,
    output: { hookExecutions: all.length },
    bakeSeconds: 0,
    stepFunctions: {
      executions: all.length,
      stateTransitions: all.reduce((sum, each) => sum + each.stateTransitions, 0),
      maxHistoryEvents: all.reduce((max, each) => Math.max(max, each.historyEvents), 0),
    },
  };
}
