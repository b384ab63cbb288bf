import { DescribeAutoScalingGroupsCommand } from "@aws-sdk/client-auto-scaling";
import { DescribeTargetHealthCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { DescribeExecutionCommand, StartExecutionCommand, StopExecutionCommand } from "@aws-sdk/client-sfn";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import { getDeploy } from "../../../core/deploy-store.ts";
import { runtime } from "../../../core/runtime.ts";
import { DEPLOY_HASH_KEY, DEPLOY_RANGE_KEY } from "../../../core/tables.ts";
import { createAwsClients } from "../../../sim/aws-clients.ts";
import type { ScenarioConfig } from "../../../sim/config/schema.ts";
import { installLocalEbb } from "../../../sim/local/ebb.ts";
import { loadScenario } from "../../../sim/scenarios.ts";
import { simulate, warmUpSeconds } from "../../../sim/simulate.ts";
import { runStrategy } from "../../../sim/strategies/index.ts";
import { Timeline } from "../../../sim/report/timeline.ts";
import { World } from "../../../sim/world.ts";

const GROUP = "ebb-demo-asg";
const STOPPED_DEPLOY_RULE = "ebb-local-stopped-deploy";
/** As simulate does: the fleet has been serving (metrics readable, health checks in rhythm) before the deploy. */
async function warmWorld(config: ScenarioConfig): Promise<World> {
  const world = new World(config);
  world.advance(warmUpSeconds(config));
  await world.events.flush();
  return world;
}

/** Each InService instance of the group and its state in every target group, through the SDK as an operator sees it. */
async function targetStates(world: World): Promise<Map<string, string[]>> {
  const { autoScaling, elbv2 } = createAwsClients(world);
  const { AutoScalingGroups: groups = [] } = await autoScaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [GROUP] }));
  const group = groups[0];
  if (group === undefined) throw new Error(`${GROUP} not found`);
  const inService = (group.Instances ?? []).filter((instance) => instance.LifecycleState === "InService").map((instance) => instance.InstanceId ?? "");
  const states = new Map(inService.map((id): [string, string[]] => [id, []]));
  for (const targetGroupArn of group.TargetGroupARNs ?? []) {
    const health = await elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn, Targets: inService.map((Id) => ({ Id })) }));
    for (const description of health.TargetHealthDescriptions ?? []) {
      states.get(description.Target?.Id ?? "")?.push(description.TargetHealth?.State ?? "unused");
    }
  }
  return states;
}

/** InService and running, but draining or not registered in some target group: what an abort must not leave behind. */
async function strandedInstances(world: World): Promise<string[]> {
  const states = await targetStates(world);
  return [...states]
    .filter(([id, perGroup]) => world.autoscaling.instance(id)?.ec2State === "running" && perGroup.some((state) => state === "draining" || state === "unused"))
    .map(([id]) => id);
}

/** The fleet an abort must leave: every InService instance registered (healthy or initial) everywhere, nobody cut off. */
async function expectConsistentFleet(world: World): Promise<void> {
  const states = await targetStates(world);
  expect(states.size).toBe(world.config.fleet.desiredCapacity);
  for (const [id, perGroup] of states) {
    expect(perGroup.length, id).toBeGreaterThan(0);
    for (const state of perGroup) expect(["healthy", "initial"], `${id} is ${state}`).toContain(state);
  }
  expect(await strandedInstances(world)).toEqual([]);
  expect(world.stats.terminatedWithoutDrain).toBe(0);
  expect(world.stats.forcedDisconnects).toBe(0);
}

/** Every SSM invocation of `ebb-undrain`, one per instance told. */
const undrainInvocations = (world: World) => world.ssm.invocations().filter(({ invocation }) => invocation.command.commands.includes("ebb-undrain"));

/**
 * Registered back is not enough: a drained app passes health checks but refuses connections. The
 * re-registered instances (and only they) are told to accept them again, and least-connections
 * routing refills them from churn within minutes.
 */
async function expectUndrained(world: World, reRegistered: readonly string[]): Promise<void> {
  expect(undrainInvocations(world).map(({ invocation }) => invocation.instanceId).sort()).toEqual([...reRegistered].sort());
  world.advance(180);
  await world.events.flush();
  for (const { status } of undrainInvocations(world)) expect(status).toBe("Success");
  for (const id of reRegistered) {
    expect(world.clients.isDraining(id), id).toBe(false);
    expect(world.clients.connectionsOf(id), id).toBeGreaterThan(0);
  }
  expect(world.stats.forcedDisconnects).toBe(0);
}

const stoppedDeployDeliveries = (world: World) =>
  world.events.deliveries().filter((delivery) => delivery.ruleName === STOPPED_DEPLOY_RULE);

describe("a rolling deploy stopped from the console", () => {
  it("is settled by settle-stopped-deploy: stranded instances registered back, lock released", async () => {
    // Not the default account and region: the rule's pattern must name the local state machine's ARN.
    const world = await warmWorld({ ...loadScenario("rolling-deploy"), region: "eu-west-1", accountId: "210987654321" });
    let drainStarted: () => void = () => undefined;
    const draining = new Promise<void>((resolve) => {
      drainStarted = resolve;
    });
    const ebb = await installLocalEbb(world, {
      onEvent: (event) => {
        if (event.kind === "state" && event.stateName === "StartBatchDrain" && event.phase === "exited") drainStarted();
      },
    });
    try {
      expect(ebb.ruleNames).toContain(STOPPED_DEPLOY_RULE);
      expect(ebb.stateMachineArn).toBe("arn:aws:states:eu-west-1:210987654321:stateMachine:rolling-deploy");
      const { sfn } = createAwsClients(world);
      const input = JSON.stringify({ autoScalingGroupName: GROUP, launchTemplateVersion: "2" });
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: ebb.stateMachineArn, name: "console-deploy", input }));
      if (executionArn === undefined) throw new Error("StartExecution returned no executionArn");

      await draining;
      await sfn.send(new StopExecutionCommand({ executionArn, error: "Operator", cause: "stopped from the console" }));
      await ebb.stepFunctions.execution(executionArn).done;
      expect(await sfn.send(new DescribeExecutionCommand({ executionArn }))).toMatchObject({ status: "ABORTED", error: "Operator" });
      // Batch 1 (3 of 12) was deregistered and draining when the execution stopped: nothing in the workflow will register it back.
      const stranded = await strandedInstances(world);
      expect(stranded).toHaveLength(3);

      await ebb.deliverEvents();

      const aborted = world.events.published().filter((event) => event.resources.includes(executionArn));
      expect(aborted.map((event) => (event.detail as { status: string }).status)).toEqual(["RUNNING", "ABORTED"]);
      const deliveries = stoppedDeployDeliveries(world);
      expect(deliveries).toHaveLength(1);
      expect(deliveries[0]?.error).toBeUndefined();
      expect(deliveries[0]?.eventId).toBe(aborted[1]?.id);

      const rt = runtime();
      const record = await getDeploy(rt, "console-deploy");
      expect(record.outcome).toMatchObject({ status: "Failed", cause: expect.stringMatching(/console-deploy was ABORTED/) });
      const finished = await rt.clients.dynamo.send(new GetCommand({
        TableName: rt.stage.tables.deploys,
        Key: { [DEPLOY_HASH_KEY]: "console-deploy", [DEPLOY_RANGE_KEY]: "audit#deploy#finished-Failed" },
      }));
      expect(finished.Item?.["detail"]).toMatchObject({ lockReleased: true });
      expect([...(finished.Item?.["detail"] as { stranded: string[] }).stranded].sort()).toEqual([...stranded].sort());

      await expectConsistentFleet(world);
      await expectUndrained(world, stranded);

      // The lock is free: the next deploy on the group gets past AcquireDeployLock.
      const next = await sfn.send(new StartExecutionCommand({
        stateMachineArn: ebb.stateMachineArn, name: "after-abort", input: JSON.stringify({ autoScalingGroupName: GROUP, dryRun: true }),
      }));
      const summary = await ebb.stepFunctions.execution(next.executionArn ?? "").done;
      expect(summary.status, summary.cause).toBe("SUCCEEDED");
    } finally {
      await ebb.stop();
    }
  });
});

/** The rolling-deploy scenario with so little time that the run is stopped in its first batch. */
function outOfTime(): ScenarioConfig {
  const config = loadScenario("rolling-deploy");
  if (config.run.kind !== "rolling-deploy") throw new Error("rolling-deploy runs a deploy");
  return { ...config, scenario: "rolling-deploy-out-of-time", run: { ...config.run, maxVirtualSeconds: 15 } };
}

describe("a simulation that runs out of virtual time (run.maxVirtualSeconds)", () => {
  it("reports Aborted, with nobody cut off", async () => {
    const report = await simulate(outOfTime());
    expect(report.outcome).toBe("Aborted");
    expect(report.cause).toMatch(/still running after 15 virtual seconds/);
    // Stopped at the deadline itself (not at the next state change), settled within the next two seconds (the settle step's own API calls take aws.apiLatencyMs each);
    // the world then settles (the undrain commands finish) before the run ends.
    const stoppedAt = report.durationSeconds - report.quiescence.settleSeconds;
    expect(stoppedAt).toBeGreaterThanOrEqual(15);
    expect(stoppedAt).toBeLessThanOrEqual(17);
    expect(report.quiescence).toMatchObject({ quiescent: true, unsettled: [] });
    expect(report.connections.forcedDisconnects).toBe(0);
    expect(report.instances.terminatedWithoutDrain).toBe(0);
  });

  it("settles the stopped deploy before the strategy returns", async () => {
    const world = await warmWorld(outOfTime());
    // Subscribed before Ebb's rule, so it sees the fleet as the stopped-deploy event arrives, before settling.
    const strandedOnArrival = new Set<string>();
    world.events.subscribe("probe", { source: ["aws.states"], detail: { status: ["ABORTED"] } }, () => {
      for (const instance of world.autoscaling.instances()) {
        const notServing = world.elb.targetGroups().some((group) => ["draining", "unused"].includes(world.elb.targetState(group.targetGroupArn, instance.instanceId)));
        if (instance.lifecycleState === "InService" && instance.ec2State === "running" && notServing) strandedOnArrival.add(instance.instanceId);
      }
    });
    const phases: string[] = [];
    const result = await runStrategy("ebb", { world, timeline: new Timeline(world, 10), report: (phase) => phases.push(phase), settle: () => Promise.resolve() });
    expect(result.outcome).toBe("Aborted");
    expect(phases.at(-1)).toBe("deregister and drain");
    // Batch 1 (25% of 12) was deregistered and draining when the deadline stopped the deploy.
    expect(strandedOnArrival.size).toBe(3);
    const deliveries = stoppedDeployDeliveries(world);
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]?.error).toBeUndefined();
    await expectConsistentFleet(world);
    await expectUndrained(world, [...strandedOnArrival]);
  });
});
