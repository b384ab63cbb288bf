import { SetDesiredCapacityCommand } from "@aws-sdk/client-auto-scaling";
import { DescribeInstanceStatusCommand, paginateDescribeInstanceStatus, type DescribeInstanceStatusCommandInput, type InstanceStatus } from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { createAwsClients } from "../../../sim/aws-clients.ts";
import { scenarioConfigSchema, type ScenarioConfigInput } from "../../../sim/config/schema.ts";
import { World } from "../../../sim/world.ts";

/*
 * "Status checks for your instances" (Amazon EC2 User Guide,
 * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/monitoring-system-instance-status-check.html):
 * "Status checks are performed every minute, returning a pass or a fail status. If all checks pass,
 * the overall status of the instance is OK. If one or more checks fail, the overall status is
 * impaired." The instance status check covers loss of network connectivity (reachability).
 * DescribeInstanceStatus (EC2 API Reference,
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeInstanceStatus.html): only
 * running instances unless IncludeAllInstances; MaxResults cannot be combined with InstanceIds.
 * InstanceStatusSummary.Status: ok | impaired | insufficient-data | not-applicable | initializing;
 * InstanceStatusDetails: Name reachability, Status passed | failed | insufficient-data | initializing,
 * ImpairedSince "the time when a status check failed"
 * (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_InstanceStatusDetails.html).
 * The guide gives no count of failed checks before `impaired`: the emulator waits
 * aws.ec2.statusChecks.impairedAfterSeconds (default 180 s, three failed checks), never faster.
 */

const worldOf = (input: ScenarioConfigInput = {}): World => {
  const world = new World(scenarioConfigSchema.parse({ fleet: { desiredCapacity: 6 }, clients: { sessions: 600 }, ...input }));
  world.advance(60);
  return world;
};

const statusOf = async (world: World, instanceId: string): Promise<InstanceStatus | undefined> =>
  (await createAwsClients(world).ec2.send(new DescribeInstanceStatusCommand({ InstanceIds: [instanceId], IncludeAllInstances: true }))).InstanceStatuses?.[0];

const reachability = (status: InstanceStatus | undefined) => status?.InstanceStatus?.Details?.find((detail) => detail.Name === "reachability");

describe("EC2 DescribeInstanceStatus", () => {
  it("reads ok with reachability passed for every running host, with its state and zone", async () => {
    const world = worldOf();
    const { InstanceStatuses } = await createAwsClients(world).ec2.send(new DescribeInstanceStatusCommand({}));
    expect(InstanceStatuses).toHaveLength(6);
    for (const status of InstanceStatuses ?? []) {
      expect(status).toMatchObject({ InstanceState: { Code: 16, Name: "running" }, InstanceStatus: { Status: "ok" }, SystemStatus: { Status: "ok" } });
      expect(reachability(status)?.Status).toBe("passed");
      expect(status.AvailabilityZone).toMatch(/^us-east-1[a-z]$/);
    }
  });

  it("turns impaired (reachability failed, ImpairedSince the first failed check) only after three failed one-minute checks of a crashed host", async () => {
    const world = worldOf();
    const crashed = world.autoscaling.instanceByLaunchIndex(2)?.instanceId ?? "";
    const crashedAtMs = world.clock.nowMs;
    world.autoscaling.crashInstance(crashed);
    // EC2 keeps saying running: the host is dead, not stopped.
    expect((await statusOf(world, crashed))?.InstanceState?.Name).toBe("running");
    const seen: string[] = [];
    for (let minute = 1; minute <= 4; minute++) {
      world.advance(60);
      seen.push(`${(await statusOf(world, crashed))?.InstanceStatus?.Status}/${reachability(await statusOf(world, crashed))?.Status}`);
    }
    expect(seen).toEqual(["ok/passed", "ok/passed", "impaired/failed", "impaired/failed"]);
    const since = reachability(await statusOf(world, crashed))?.ImpairedSince?.getTime() ?? 0;
    expect(since).toBeGreaterThan(crashedAtMs);
    expect(since).toBeLessThanOrEqual(crashedAtMs + 60_000);
    // The system check (AWS's own hardware) still passes; the other hosts are untouched.
    expect((await statusOf(world, crashed))?.SystemStatus?.Status).toBe("ok");
    const impaired = await createAwsClients(world).ec2.send(new DescribeInstanceStatusCommand({ Filters: [{ Name: "instance-status.status", Values: ["impaired"] }] }));
    expect(impaired.InstanceStatuses?.map((status) => status.InstanceId)).toEqual([crashed]);
    const failed = await createAwsClients(world).ec2.send(new DescribeInstanceStatusCommand({ Filters: [{ Name: "instance-status.reachability", Values: ["passed"] }] }));
    const passing = failed.InstanceStatuses?.map((status) => status.InstanceId) ?? [];
    expect(passing).not.toContain(crashed);
    expect(passing.length).toBeGreaterThanOrEqual(5);
  });

  it("takes a configured delay: one failed check when impairedAfterSeconds is 60", async () => {
    const world = worldOf({ aws: { ec2: { statusChecks: { impairedAfterSeconds: 60 } } } });
    const crashed = world.autoscaling.instanceByLaunchIndex(0)?.instanceId ?? "";
    world.autoscaling.crashInstance(crashed);
    world.advance(61);
    expect((await statusOf(world, crashed))?.InstanceStatus?.Status).toBe("impaired");
  });

  it("shows a new instance initializing until its first check, then ok; IncludeAllInstances adds the ones not running as not-applicable", async () => {
    const world = worldOf();
    const { autoScaling, ec2 } = createAwsClients(world);
    await autoScaling.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: "ebb-demo-asg", DesiredCapacity: 7 }));
    world.advance(5);
    const launched = world.autoscaling.instanceByLaunchIndex(6);
    expect(launched?.ec2State).toMatch(/pending|running/);
    world.advance(20);
    const early = await statusOf(world, launched?.instanceId ?? "");
    expect(early?.InstanceStatus?.Status).toBe("initializing");
    expect(reachability(early)?.Status).toBe("initializing");
    world.advance(120);
    expect((await statusOf(world, launched?.instanceId ?? ""))?.InstanceStatus?.Status).toBe("ok");
    await autoScaling.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: "ebb-demo-asg", DesiredCapacity: 6 }));
    world.advance(400);
    const running = await ec2.send(new DescribeInstanceStatusCommand({}));
    const all = await ec2.send(new DescribeInstanceStatusCommand({ IncludeAllInstances: true }));
    expect(running.InstanceStatuses).toHaveLength(6);
    const gone = (all.InstanceStatuses ?? []).filter((status) => status.InstanceState?.Name !== "running");
    expect(gone.length).toBeGreaterThanOrEqual(1);
    for (const status of gone) expect(status.InstanceStatus).toMatchObject({ Status: "not-applicable" });
  });

  it("pages with MaxResults and refuses bad requests with EC2's codes", async () => {
    const world = worldOf();
    const { ec2 } = createAwsClients(world);
    const pages: number[] = [];
    for await (const page of paginateDescribeInstanceStatus({ client: ec2, pageSize: 5 }, {})) pages.push(page.InstanceStatuses?.length ?? 0);
    expect(pages).toEqual([5, 1]);
    const id = world.autoscaling.instanceByLaunchIndex(0)?.instanceId ?? "";
    const cases: Array<[DescribeInstanceStatusCommandInput, string]> = [
      [{ InstanceIds: [id], MaxResults: 5 }, "InvalidParameterCombination"],
      [{ InstanceIds: ["i-0123456789abcdef0"] }, "InvalidInstanceID.NotFound"],
      [{ Filters: [{ Name: "owner-id", Values: ["me"] }] }, "InvalidParameterValue"],
      [{ MaxResults: 2 }, "InvalidParameterValue"],
    ];
    for (const [input, code] of cases) await expect(ec2.send(new DescribeInstanceStatusCommand(input)), JSON.stringify(input)).rejects.toMatchObject({ name: code });
  });
});
