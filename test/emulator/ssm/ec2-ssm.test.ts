import { DescribeInstancesCommand, EC2Client, paginateDescribeInstances } from "@aws-sdk/client-ec2";
import {
  GetCommandInvocationCommand,
  ListCommandInvocationsCommand,
  SendCommandCommand,
  SSMClient,
} from "@aws-sdk/client-ssm";
import { describe, expect, it } from "vitest";
import { ec2Service } from "../../../emulator/ec2/actions/index.ts";
import { ssmService } from "../../../emulator/ssm/actions/index.ts";
import type { World } from "../../../sim/world.ts";
import { clientConfigFor, newWorld, rejection } from "../../support/protocol.ts";

/** Past the longest default delivery (3 s) and execution (1.5 s) of aws.ssm: the invocation has finished. */
const AGENT_SETTLE_SECONDS = 5;

/** Only this helper's services, so these tests don't wait on the others' models. */
const clientConfig = (world: World) => clientConfigFor(world, { ec2: ec2Service, ssm: ssmService });

const runningIds = (world: World): string[] =>
  world.autoscaling.instances().filter((instance) => instance.ec2State === "running").map((instance) => instance.instanceId);

describe("EC2 DescribeInstances", () => {
  it("pages through the fleet with MaxResults/NextToken, each instance once, with its ASG tag", async () => {
    const world = newWorld();
    const ec2 = new EC2Client(clientConfig(world));
    const pages = [];
    for await (const page of paginateDescribeInstances({ client: ec2, pageSize: 5 }, {})) pages.push(page);
    const instances = pages.flatMap((page) => page.Reservations ?? []).flatMap((reservation) => reservation.Instances ?? []);
    expect(pages.map((page) => page.Reservations?.length)).toEqual([5, 5, 2]);
    expect(instances.map((instance) => instance.InstanceId)).toEqual(world.autoscaling.instances().map((instance) => instance.instanceId));
    expect(new Set(instances.map((instance) => instance.InstanceId)).size).toBe(12);
    const first = instances[0];
    expect(first?.State).toEqual({ Code: 16, Name: "running" });
    expect(first?.Tags).toContainEqual({ Key: "aws:autoscaling:groupName", Value: "ebb-demo-asg" });
    expect(first?.LaunchTime).toBeInstanceOf(Date);
    expect(first?.Placement?.AvailabilityZone).toMatch(/^us-east-1[abc]$/);
    expect(pages[0]?.$metadata.requestId).toMatch(/^ebb00000-/);
  });

  it("filters by instance id, state and the ASG tag, and refuses unknown ids and filters with EC2's codes", async () => {
    const world = newWorld();
    const ec2 = new EC2Client(clientConfig(world));
    const [firstId, secondId] = runningIds(world);
    const byId = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [secondId ?? ""] }));
    expect(byId.Reservations?.flatMap((r) => r.Instances ?? []).map((i) => i.InstanceId)).toEqual([secondId]);

    const filtered = await ec2.send(
      new DescribeInstancesCommand({
        Filters: [
          { Name: "tag:aws:autoscaling:groupName", Values: ["ebb-demo-asg"] },
          { Name: "instance-state-name", Values: ["running", "pending"] },
          { Name: "instance-id", Values: [firstId ?? "", "i-ffffffffffffffff0"] },
        ],
      }),
    );
    expect(filtered.Reservations?.flatMap((r) => r.Instances ?? []).map((i) => i.InstanceId)).toEqual([firstId]);
    const otherGroup = await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: "tag:aws:autoscaling:groupName", Values: ["other"] }] }));
    expect(otherGroup.Reservations).toEqual([]);

    const missing = await rejection(ec2.send(new DescribeInstancesCommand({ InstanceIds: ["i-0000000000000dead"] })));
    expect(missing.name).toBe("InvalidInstanceID.NotFound");
    const badFilter = await rejection(ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: "flavour", Values: ["x"] }] })));
    expect(badFilter.name).toBe("InvalidParameterValue");
    expect(badFilter.message).toBe("The filter 'flavour' is invalid");
  });

  it("throttles with RequestLimitExceeded (503) when the fault injector says so", async () => {
    const world = newWorld({ faults: { api: [{ service: "ec2", kind: "throttle", rate: 1 }] } });
    const ec2 = new EC2Client(clientConfig(world));
    const error = await rejection(ec2.send(new DescribeInstancesCommand({})));
    expect(error.name).toBe("RequestLimitExceeded");
    expect(error.$metadata).toMatchObject({ httpStatusCode: 503 });
    expect(world.stats.throttled).toBe(1);
  });
});

describe("SSM Run Command", () => {
  it("SendCommand with ebb-drain starts the app's drain once the agent picks it up; the invocation then succeeds", async () => {
    const world = newWorld();
    const ssm = new SSMClient(clientConfig(world));
    const [instanceId = ""] = runningIds(world);
    expect(world.clients.isDraining(instanceId)).toBe(false);
    const sent = await ssm.send(
      new SendCommandCommand({
        DocumentName: "AWS-RunShellScript",
        InstanceIds: [instanceId],
        Parameters: { commands: ["/usr/local/bin/ebb-drain --rate 40"] },
        Comment: "ebb deploy batch 1",
      }),
    );
    const commandId = sent.Command?.CommandId ?? "";
    expect(sent.Command?.RequestedDateTime).toEqual(world.clock.now());
    expect(world.clients.isDraining(instanceId)).toBe(false);

    const early = await ssm.send(new GetCommandInvocationCommand({ CommandId: commandId, InstanceId: instanceId }));
    expect(early.Status).toBe("Pending");
    world.advance(AGENT_SETTLE_SECONDS);
    const done = await ssm.send(new GetCommandInvocationCommand({ CommandId: commandId, InstanceId: instanceId }));
    expect(done).toMatchObject({ Status: "Success", ResponseCode: 0, Comment: "ebb deploy batch 1" });
    expect(done.StandardOutputContent).toMatch(/^draining: \d+ connections open\n$/);
    expect(world.clients.isDraining(instanceId)).toBe(true);
  });

  it("SendCommand with ebb-undrain makes a draining app accept connections again; twice is harmless", async () => {
    const world = newWorld();
    const ssm = new SSMClient(clientConfig(world));
    const [instanceId = ""] = runningIds(world);
    const run = async (command: string) => {
      const sent = await ssm.send(new SendCommandCommand({ DocumentName: "AWS-RunShellScript", InstanceIds: [instanceId], Parameters: { commands: [command] } }));
      world.advance(AGENT_SETTLE_SECONDS);
      return ssm.send(new GetCommandInvocationCommand({ CommandId: sent.Command?.CommandId, InstanceId: instanceId }));
    };
    await run("ebb-drain");
    expect(world.clients.isDraining(instanceId)).toBe(true);
    for (const attempt of [1, 2]) {
      const done = await run("/usr/local/bin/ebb-undrain");
      expect(done, `attempt ${attempt}`).toMatchObject({ Status: "Success", ResponseCode: 0 });
      expect(done.StandardOutputContent).toMatch(/^accepting connections: \d+ connections open\n$/);
      expect(world.clients.isDraining(instanceId)).toBe(false);
    }
  });

  it("has no ebb-undrain when the app takes no drain signal (app.drainSignal none)", async () => {
    const world = newWorld({ app: { drainSignal: "none" } });
    const ssm = new SSMClient(clientConfig(world));
    const [instanceId = ""] = runningIds(world);
    const sent = await ssm.send(new SendCommandCommand({ DocumentName: "AWS-RunShellScript", InstanceIds: [instanceId], Parameters: { commands: ["ebb-undrain"] } }));
    world.advance(AGENT_SETTLE_SECONDS);
    const done = await ssm.send(new GetCommandInvocationCommand({ CommandId: sent.Command?.CommandId, InstanceId: instanceId }));
    expect(done).toMatchObject({ Status: "Failed", ResponseCode: 127, StandardErrorContent: "sh: ebb-undrain: command not found\n" });
  });

  it("reports a failing script as Failed and lists invocations newest first, paged", async () => {
    const world = newWorld();
    const ssm = new SSMClient(clientConfig(world));
    const [first = "", second = "", third = ""] = runningIds(world);
    const failing = await ssm.send(
      new SendCommandCommand({ DocumentName: "AWS-RunShellScript", InstanceIds: [first], Parameters: { commands: ["systemctl restart app"] } }),
    );
    const counting = await ssm.send(
      new SendCommandCommand({ DocumentName: "AWS-RunShellScript", InstanceIds: [second, third], Parameters: { commands: ["ebb-connections"] } }),
    );
    world.advance(AGENT_SETTLE_SECONDS);
    const failed = await ssm.send(new GetCommandInvocationCommand({ CommandId: failing.Command?.CommandId, InstanceId: first }));
    expect(failed).toMatchObject({ Status: "Failed", ResponseCode: 127, StandardErrorContent: "sh: systemctl: command not found\n" });

    const page1 = await ssm.send(new ListCommandInvocationsCommand({ MaxResults: 2, Details: true }));
    const page2 = await ssm.send(new ListCommandInvocationsCommand({ MaxResults: 2, Details: true, NextToken: page1.NextToken }));
    expect(page2.NextToken).toBeUndefined();
    const listed = [...(page1.CommandInvocations ?? []), ...(page2.CommandInvocations ?? [])];
    expect(listed.map((invocation) => [invocation.CommandId, invocation.InstanceId])).toEqual([
      [counting.Command?.CommandId, third],
      [counting.Command?.CommandId, second],
      [failing.Command?.CommandId, first],
    ]);
    expect(listed[0]?.CommandPlugins?.[0]?.Output).toBe(`${world.clients.connectionsOf(third)}\n`);
  });

  it("refuses unknown instances, documents and invocations with SSM's error codes, changing nothing", async () => {
    const world = newWorld();
    const ssm = new SSMClient(clientConfig(world));
    const unknown = await rejection(
      ssm.send(new SendCommandCommand({ DocumentName: "AWS-RunShellScript", InstanceIds: ["i-0000000000000dead"], Parameters: { commands: ["ebb-drain"] } })),
    );
    expect(unknown.name).toBe("InvalidInstanceId");
    const [instanceId = ""] = runningIds(world);
    const document = await rejection(
      ssm.send(new SendCommandCommand({ DocumentName: "AWS-RunPowerShellScript", InstanceIds: [instanceId], Parameters: { commands: ["ebb-drain"] } })),
    );
    expect(document.name).toBe("InvalidDocument");
    const invalid = await rejection(ssm.send(new SendCommandCommand({ DocumentName: "AWS-RunShellScript", InstanceIds: [] })));
    expect(invalid.name).toBe("ValidationException");
    expect(world.clients.isDraining(instanceId)).toBe(false);
    const invocation = await rejection(
      ssm.send(new GetCommandInvocationCommand({ CommandId: "00000000-0000-4000-8000-000000000000", InstanceId: instanceId })),
    );
    expect(invocation.name).toBe("InvocationDoesNotExist");
  });
});
