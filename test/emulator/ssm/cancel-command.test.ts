import { CancelCommandCommand, GetCommandInvocationCommand, ListCommandsCommand, SendCommandCommand, SSMClient } from "@aws-sdk/client-ssm";
import { describe, expect, it } from "vitest";
import { ec2Service } from "../../../emulator/ec2/actions/index.ts";
import { ssmService } from "../../../emulator/ssm/actions/index.ts";
import type { ScenarioConfigInput } from "../../../sim/config/schema.ts";
import type { World } from "../../../sim/world.ts";
import { clientConfigFor, newWorld, rejection } from "../../support/protocol.ts";

/*
 * CancelCommand, AWS Systems Manager API Reference
 * (https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_CancelCommand.html):
 * "Attempts to cancel the command specified by the Command ID. There is no guarantee that the
 * command will be terminated and the underlying process stopped." InstanceIds: "If not provided,
 * the command is canceled on every node on which it was requested." Errors: InvalidCommandId,
 * InvalidInstanceId, DuplicateInstanceId.
 * "Understanding command statuses", AWS Systems Manager User Guide
 * (https://docs.aws.amazon.com/systems-manager/latest/userguide/monitor-commands.html):
 * "Cancelled: The command was terminated before it was completed. This is a terminal state."
 * The emulator reads the vague part harshly: an invocation already running is stopped only once
 * its agent picks the cancel up (one delivery time later), and what the script did stays done.
 */

/** Delivery 2 s, the script's report 10 s after it starts, a cancel picked up 2 s after it is asked for. */
const slowScript = { aws: { ssm: { deliveryMs: [2000, 2000], executionMs: [10_000, 10_000] } } } satisfies ScenarioConfigInput;

const ssmClient = (world: World) => new SSMClient(clientConfigFor(world, { ec2: ec2Service, ssm: ssmService }));
const instanceIds = (world: World): string[] => world.autoscaling.instances().map((instance) => instance.instanceId);

async function sendDrain(world: World, targets: readonly string[]): Promise<string> {
  const sent = await ssmClient(world).send(new SendCommandCommand({ DocumentName: "AWS-RunShellScript", InstanceIds: [...targets], Parameters: { commands: ["ebb-drain"] } }));
  return sent.Command?.CommandId ?? "";
}

async function statusOf(world: World, commandId: string, instanceId: string): Promise<[string | undefined, string | undefined, number | undefined, boolean]> {
  const invocation = await ssmClient(world).send(new GetCommandInvocationCommand({ CommandId: commandId, InstanceId: instanceId }));
  return [invocation.Status, invocation.StatusDetails, invocation.ResponseCode, world.clients.isDraining(instanceId)];
}

const commandStatus = async (world: World, commandId: string): Promise<string | undefined> =>
  (await ssmClient(world).send(new ListCommandsCommand({ CommandId: commandId }))).Commands?.[0]?.Status;

describe("SSM CancelCommand (API Reference: CancelCommand; Understanding command statuses)", () => {
  it("cancels an invocation not yet delivered at once: Cancelled, and the script never runs", async () => {
    const world = newWorld(slowScript);
    const [first = ""] = instanceIds(world);
    const commandId = await sendDrain(world, [first]);
    world.advance(1);
    await ssmClient(world).send(new CancelCommandCommand({ CommandId: commandId }));
    expect(await statusOf(world, commandId, first)).toEqual(["Cancelled", "Cancelled", -1, false]);
    world.advance(20);
    expect(await statusOf(world, commandId, first)).toEqual(["Cancelled", "Cancelled", -1, false]);
    expect(await commandStatus(world, commandId)).toBe("Cancelled");
  });

  it("stops a running invocation only when its agent picks the cancel up: Cancelling, then Cancelled; the drain it started stays", async () => {
    const world = newWorld(slowScript);
    const [first = ""] = instanceIds(world);
    const commandId = await sendDrain(world, [first]);
    const sentAtMs = world.clock.nowMs;
    world.advanceTo(sentAtMs + 3000);
    expect(await statusOf(world, commandId, first)).toEqual(["InProgress", "InProgress", -1, true]);
    await ssmClient(world).send(new CancelCommandCommand({ CommandId: commandId, InstanceIds: [first] }));
    const rows: [number, string][] = [[3, "Cancelling"], [4, "Cancelling"], [5, "Cancelled"], [30, "Cancelled"]];
    for (const [seconds, status] of rows) {
      world.advanceTo(sentAtMs + seconds * 1000);
      expect(await statusOf(world, commandId, first), `${seconds} s after SendCommand`).toEqual([status, status, -1, true]);
    }
    expect(await commandStatus(world, commandId)).toBe("Cancelled");
  });

  it("leaves an invocation that already ended as it ended, and cancels only the instances named", async () => {
    const world = newWorld({ aws: { ssm: { deliveryMs: [2000, 2000], executionMs: [0, 0] } } });
    const [first = "", second = ""] = instanceIds(world);
    const done = await sendDrain(world, [first]);
    world.advance(3);
    await ssmClient(world).send(new CancelCommandCommand({ CommandId: done }));
    expect((await statusOf(world, done, first)).slice(0, 3)).toEqual(["Success", "Success", 0]);

    const both = await sendDrain(world, [first, second]);
    await ssmClient(world).send(new CancelCommandCommand({ CommandId: both, InstanceIds: [second] }));
    world.advance(3);
    expect((await statusOf(world, both, first)).slice(0, 2)).toEqual(["Success", "Success"]);
    expect(await statusOf(world, both, second)).toEqual(["Cancelled", "Cancelled", -1, false]);
  });

  it("refuses an unknown command, an instance the command was not sent to and a repeated instance, changing nothing", async () => {
    const world = newWorld(slowScript);
    const [first = "", second = ""] = instanceIds(world);
    const commandId = await sendDrain(world, [first]);
    const cancel = (input: { CommandId: string; InstanceIds?: string[] }) => rejection(ssmClient(world).send(new CancelCommandCommand(input)));
    expect((await cancel({ CommandId: "00000000-0000-4000-8000-000000000000" })).name).toBe("InvalidCommandId");
    expect((await cancel({ CommandId: commandId, InstanceIds: [second] })).name).toBe("InvalidInstanceId");
    expect((await cancel({ CommandId: commandId, InstanceIds: [first, first] })).name).toBe("DuplicateInstanceId");
    expect(await statusOf(world, commandId, first)).toEqual(["Pending", "Pending", -1, false]);
    world.advance(3);
    expect(await statusOf(world, commandId, first)).toEqual(["InProgress", "InProgress", -1, true]);
  });
});
