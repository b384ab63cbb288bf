import { GetCommandInvocationCommand, ListCommandInvocationsCommand, SendCommandCommand, SSMClient } from "@aws-sdk/client-ssm";
import { describe, expect, it } from "vitest";
import { ec2Service } from "../../../emulator/ec2/actions/index.ts";
import { ssmService } from "../../../emulator/ssm/actions/index.ts";
import type { ScenarioConfigInput } from "../../../sim/config/schema.ts";
import type { World } from "../../../sim/world.ts";
import { clientConfigFor, newWorld, rejection } from "../../support/protocol.ts";

/*
 * "Understanding command statuses", AWS Systems Manager User Guide:
 * https://docs.aws.amazon.com/systems-manager/latest/userguide/monitor-commands.html
 * (as quoted in the API's StatusDetails docs) "Pending: The command hasn't been sent to the managed
 * node. In Progress: The command has been sent to the managed node but hasn't reached a terminal
 * state. ... Delivery Timed Out: The command wasn't delivered to the managed node before the
 * delivery timeout expired. ... Execution Timed Out: The command started to run on the managed
 * node, but the execution wasn't complete before the timeout expired. ... Failed: ... the result
 * code wasn't zero. ... Undeliverable: The command can't be delivered to the managed node. The
 * node might not exist or might not be responding." ... "Delayed: The system attempted to send
 * the command to the target, but the target wasn't available. ... The system will try to send
 * the command again."
 * SendCommand errors (SSM API Reference, InvalidInstanceId): "SSM Agent isn't running ... SSM
 * Agent isn't registered with the SSM endpoint ... The managed node isn't in a valid state."
 */

const fixedTimes = { aws: { ssm: { deliveryMs: [2000, 2000], executionMs: [1000, 1000] } } } satisfies ScenarioConfigInput;

const ssmClient = (world: World) => new SSMClient(clientConfigFor(world, { ec2: ec2Service, ssm: ssmService }));
const firstInstance = (world: World): string => world.autoscaling.instances()[0]?.instanceId ?? "";

async function send(world: World, parameters: Record<string, string[]> = {}, timeoutSeconds?: number): Promise<string> {
  const sent = await ssmClient(world).send(
    new SendCommandCommand({
      DocumentName: "AWS-RunShellScript",
      InstanceIds: [firstInstance(world)],
      Parameters: { commands: ["ebb-drain"], ...parameters },
      ...(timeoutSeconds === undefined ? {} : { TimeoutSeconds: timeoutSeconds }),
    }),
  );
  return sent.Command?.CommandId ?? "";
}

/** [seconds after SendCommand, Status, StatusDetails, ResponseCode, is the app draining]. */
type Row = readonly [number, string, string, number, boolean];

const cases: readonly { name: string; config: ScenarioConfigInput; parameters?: Record<string, string[]>; timeoutSeconds?: number; crash?: boolean; rows: readonly Row[] }[] = [
  {
    name: "a script that exits 0: Pending until the agent picks it up, InProgress while it runs, then Success",
    config: fixedTimes,
    rows: [[0, "Pending", "Pending", -1, false], [1, "Pending", "Pending", -1, false], [2, "InProgress", "InProgress", -1, true], [3, "Success", "Success", 0, true]],
  },
  {
    name: "a plugin failure on the instance (faults.ssm Failed): Failed with a non-zero code, the script never ran",
    config: { ...fixedTimes, faults: { ssm: [{ instanceIndex: 0, outcome: "Failed" }] } },
    rows: [[1, "Pending", "Pending", -1, false], [2, "InProgress", "InProgress", -1, false], [3, "Failed", "Failed", 1, false]],
  },
  {
    name: "a hung script (faults.ssm ExecutionTimedOut): InProgress until executionTimeout, then TimedOut",
    config: { ...fixedTimes, faults: { ssm: [{ instanceIndex: 0, outcome: "ExecutionTimedOut" }] } },
    parameters: { executionTimeout: ["60"] },
    rows: [[2, "InProgress", "InProgress", -1, false], [61, "InProgress", "InProgress", -1, false], [62, "TimedOut", "ExecutionTimedOut", -1, false]],
  },
  {
    name: "an unreachable node (faults.ssm Undeliverable): Failed / Undeliverable when delivery is attempted",
    config: { ...fixedTimes, faults: { ssm: [{ instanceIndex: 0, outcome: "Undeliverable" }] } },
    rows: [[1, "Pending", "Pending", -1, false], [2, "Failed", "Undeliverable", -1, false]],
  },
  {
    name: "a crashed host (its agent is silent): Delayed from the first delivery attempt until TimeoutSeconds, then TimedOut / DeliveryTimedOut",
    // EC2 health checks: the ASG keeps the crashed host running, so only its agent's silence shows.
    config: { ...fixedTimes, fleet: { healthCheckType: "EC2" } },
    timeoutSeconds: 30,
    crash: true,
    rows: [[1, "Pending", "Pending", -1, false], [2, "Delayed", "Delayed", -1, false], [29, "Delayed", "Delayed", -1, false], [30, "TimedOut", "DeliveryTimedOut", -1, false]],
  },
  // A script that waits on the host (the app's `ebb-drain --wait N`): 100 connections shed at 10/s.
  // "Command document plugin reference", aws:runShellScript: executionTimeout "the time in seconds
  // for a command to complete before it's considered to have failed"; the agent stops it then.
  {
    name: "a script that waits on the host: InProgress until the app holds no connection, Success a report later",
    config: { ...fixedTimes, clients: { sessions: 1200 }, app: { drainRatePerSecond: 10 } },
    parameters: { commands: ["ebb-drain --wait 60"] },
    rows: [[2, "InProgress", "InProgress", -1, true], [11, "InProgress", "InProgress", -1, true], [14, "Success", "Success", 0, true]],
  },
  {
    name: "a waiting script whose app still holds connections when its wait ends: Failed with its exit code",
    config: { ...fixedTimes, clients: { sessions: 1200 }, app: { drainRatePerSecond: 10 } },
    parameters: { commands: ["ebb-drain --wait 5"] },
    rows: [[6, "InProgress", "InProgress", -1, true], [9, "Failed", "Failed", 1, true]],
  },
  {
    name: "a waiting script past the document's executionTimeout: stopped, TimedOut / ExecutionTimedOut",
    config: { ...fixedTimes, clients: { sessions: 1200 }, app: { drainRatePerSecond: 10 } },
    parameters: { commands: ["ebb-drain --wait 60"], executionTimeout: ["4"] },
    rows: [[5, "InProgress", "InProgress", -1, true], [7, "TimedOut", "ExecutionTimedOut", -1, true], [20, "TimedOut", "ExecutionTimedOut", -1, true]],
  },
];

describe("SSM Run Command invocation statuses (Understanding command statuses)", () => {
  it.each(cases)("$name", async ({ config, parameters, timeoutSeconds, crash, rows }) => {
    const world = newWorld(config);
    const instanceId = firstInstance(world);
    if (crash === true) world.autoscaling.crashInstance(instanceId);
    const commandId = await send(world, parameters, timeoutSeconds);
    const sentAtMs = world.clock.nowMs;
    for (const [seconds, status, details, responseCode, draining] of rows) {
      world.advanceTo(sentAtMs + seconds * 1000);
      const invocation = await ssmClient(world).send(new GetCommandInvocationCommand({ CommandId: commandId, InstanceId: instanceId }));
      const listed = await ssmClient(world).send(new ListCommandInvocationsCommand({ CommandId: commandId, Details: true }));
      const seen = [invocation.Status, invocation.StatusDetails, invocation.ResponseCode, world.clients.isDraining(instanceId)];
      expect(seen, `${seconds} s after SendCommand`).toEqual([status, details, responseCode, draining]);
      expect(listed.CommandInvocations?.map((entry) => [entry.Status, entry.StatusDetails, entry.CommandPlugins?.[0]?.StatusDetails])).toEqual([[status, details, details]]);
    }
  });

  it("draws delivery and execution time per invocation within aws.ssm's bounds", async () => {
    const world = newWorld({ aws: { ssm: { deliveryMs: [1000, 5000], executionMs: [0, 0] } } });
    const ids = world.autoscaling.instances().map((instance) => instance.instanceId);
    const sent = await ssmClient(world).send(new SendCommandCommand({ DocumentName: "AWS-RunShellScript", InstanceIds: ids, Parameters: { commands: ["true"] } }));
    const startedAt: number[] = [];
    for (let second = 1; second <= 5; second++) {
      world.advance(1);
      const listed = await ssmClient(world).send(new ListCommandInvocationsCommand({ CommandId: sent.Command?.CommandId }));
      startedAt.push(listed.CommandInvocations?.filter((entry) => entry.Status === "Success").length ?? 0);
    }
    expect(startedAt.at(-1)).toBe(ids.length);
    expect(startedAt[0]).toBeLessThan(ids.length);
  });

  it("refuses an instance whose SSM Agent has not registered yet (still booting) with InvalidInstanceId", async () => {
    const world = newWorld({ fleet: { desiredCapacity: 1, maxSize: 2 }, clients: { sessions: 0 }, aws: { ssm: { agentStartSeconds: 30 } } });
    world.autoscaling.groups()[0]!.desiredCapacity = 2;
    world.advance(10);
    const booting = world.autoscaling.instances()[1];
    expect(booting?.ec2State).toBe("running");
    const attempt = () =>
      ssmClient(world).send(new SendCommandCommand({ DocumentName: "AWS-RunShellScript", InstanceIds: [booting?.instanceId ?? ""], Parameters: { commands: ["true"] } }));
    const refused = await rejection(attempt());
    expect(refused.name).toBe("InvalidInstanceId");
    world.advance(21);
    await expect(attempt()).resolves.toMatchObject({ Command: { Status: "Pending" } });
  });

  it("the command's own status: Failed when one invocation failed (MaxErrors 0), Success otherwise", async () => {
    const world = newWorld({ ...fixedTimes, faults: { ssm: [{ instanceIndex: 1, outcome: "Failed" }] } });
    const [first = "", second = ""] = world.autoscaling.instances().map((instance) => instance.instanceId);
    const sent = await ssmClient(world).send(new SendCommandCommand({ DocumentName: "AWS-RunShellScript", InstanceIds: [first, second], Parameters: { commands: ["true"] } }));
    expect(sent.Command).toMatchObject({ Status: "Pending", TargetCount: 2, CompletedCount: 0 });
    world.advance(3);
    const invocations = world.ssm.invocations({ commandId: sent.Command?.CommandId ?? "" });
    expect(invocations.map((view) => view.status).sort()).toEqual(["Failed", "Success"]);
  });
});
