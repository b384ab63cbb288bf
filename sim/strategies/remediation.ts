import { readLock } from "../../core/lock.ts";
import { getRemediation } from "../../core/remediation/record.ts";
import { holdHealthReplacement } from "../../core/remediation/outage.ts";
import { describeGroup } from "../../core/fleet.ts";
import { createServiceClients } from "../../core/clients/every-client.ts";
import { runtime } from "../../core/runtime.ts";
import { operatorClientConfig } from "../operator.ts";
import { REMEDIATION_WORKFLOW } from "../../infra/plan.ts";
import { installLocalEbb } from "../local/ebb.ts";
import { HealthReplacementWatch } from "../report/health-replacements.ts";
import type { RemediationReport, RunResult } from "../report/report.ts";
import type { TimelineSample } from "../report/timeline.ts";
import { noExecutions, noLock, type StrategyContext } from "./types.ts";

/**
 * A fleet serving while faults happen, with Ebb installed as a deployment of the stage leaves it
 * (its rules, functions, workflows and remediation alarms, and the group's ReplaceUnhealthy held
 * as its standing state) or, with strategy `none`, with nothing but the ASG's own health checks.
 * Virtual time moves a second at a time on the executions' timeline, so alarm events are handled
 * and remediation executions run as the physics unfold.
 */
export async function runRemediation(context: StrategyContext): Promise<RunResult> {
  const { world } = context;
  const run = world.config.run;
  if (run.kind !== "remediation") throw new Error("runRemediation runs remediation scenarios");
  const watch = new HealthReplacementWatch(world);
  world.observe(watch);
  const groupName = world.config.fleet.autoScalingGroupName;
  if (run.strategy === "none") {
    context.report("serving");
    const endMs = world.clock.nowMs + run.durationSeconds * 1000;
    while (world.clock.nowMs < endMs) {
      world.advance(1);
      await world.events.flush();
    }
    await context.settle(noLock);
    return { outcome: "Succeeded", cause: undefined, output: undefined, bakeSeconds: 0, stepFunctions: noExecutions, remediation: reportOf(context, [], watch) };
  }
  const ebb = await installLocalEbb(world, { remediation: true });
  try {
    const rt = runtime();
    // As the stage's deployment leaves it, an operator's step: it retries what the scenario's faults refuse.
    const operator = { ...rt, clients: { ...rt.clients, ...createServiceClients(operatorClientConfig(world)) } };
    await holdHealthReplacement(operator, await describeGroup(operator.clients.autoScaling, groupName));
    context.report("serving");
    const { timeline } = ebb.stepFunctions;
    const sleeper = timeline.join();
    const endMs = world.clock.nowMs + run.durationSeconds * 1000;
    try {
      while (world.clock.nowMs < endMs) await timeline.sleepUntil(sleeper, Math.min(endMs, world.clock.nowMs + 1000));
    } finally {
      timeline.leave(sleeper);
    }
    context.report("remediation finishing");
    const machine = ebb.stepFunctions.stateMachine(REMEDIATION_WORKFLOW);
    const episodes = ebb.stepFunctions.executions().filter((execution) => execution.summary().stateMachineArn === machine?.arn);
    await Promise.all(episodes.map((execution) => execution.done));
    await context.settle(async () => (await readLock(rt, groupName)) !== undefined, ebb.advanceTo);
    const summaries = episodes.map((execution) => execution.summary());
    const records = await Promise.all(summaries.map((summary) => getRemediation(rt, summary.name)));
    const failed = summaries.filter((summary) => summary.status !== "SUCCEEDED");
    return {
      outcome: failed.length === 0 ? "Succeeded" : "Failed",
      cause: failed.length === 0 ? undefined : failed.map((summary) => `${summary.name}: ${summary.error ?? summary.status}`).join("; "),
      output: summaries.map((summary) => summary.output),
      bakeSeconds: 0,
      stepFunctions: {
        executions: summaries.length,
        stateTransitions: summaries.reduce((sum, each) => sum + each.stateTransitions, 0),
        maxHistoryEvents: summaries.reduce((max, each) => Math.max(max, each.historyEvents), 0),
      },
      remediation: reportOf(context, records, watch),
    };
  } finally {
    await ebb.stop();
  }
}

type Records = Awaited<ReturnType<typeof getRemediation>>[];

/** When healthy capacity first fell below the fleet's desired size, and when it was full again after that. */
function capacityDip(samples: readonly TimelineSample[], full: number): { firstBelowFullAt?: number; backToFullAt?: number } {
  const below = samples.find((sample) => sample.healthyInstances < full);
  if (below === undefined) return {};
  const back = samples.find((sample) => sample.t > below.t && sample.healthyInstances >= full);
  return back === undefined ? { firstBelowFullAt: below.t } : { firstBelowFullAt: below.t, backToFullAt: back.t };
}

function reportOf(context: StrategyContext, records: Records, watch: HealthReplacementWatch): RemediationReport {
  const { world, timeline } = context;
  return {
    episodes: records.length,
    replacedByEbb: records.reduce((sum, record) => sum + record.replaced.length, 0),
    replacedForHealth: [...watch.replaced],
    quarantines: records.reduce((sum, record) => sum + (record.quarantinesStarted ?? 0), 0),
    outagesDetected: records.flatMap((record) => record.outagesDetected.map((outage) => ({ remediationId: record.remediationId, ...outage }))),
    notRemediated: records.flatMap((record) => record.notRemediated.map((entry) => ({ remediationId: record.remediationId, ...entry }))),
    healthyCapacity: capacityDip(timeline.samples, world.config.fleet.desiredCapacity),
  };
}
