import { describe, expect, it } from "vitest";
import type { FunctionInvoker, TerminationPolicyInput } from "../../../emulator/autoscaling/custom-termination.ts";
import type { ScenarioConfigInput } from "../../../sim/config/schema.ts";
import type { World } from "../../../sim/world.ts";
import { asg, groupName, makeWorld } from "../../support/fleet.ts";

/**
 * A Lambda function as a custom termination policy, per the Auto Scaling user guide, "Create a
 * custom termination policy with Lambda"
 * (https://docs.aws.amazon.com/autoscaling/ec2/userguide/lambda-custom-termination-policy.html):
 * Input data, Response data, Considerations (more than required → the next policy; none returned
 * or a timeout → invoked again after a short time; instance refresh gives up after an hour) and
 * Limitations (one function, listed first, no $LATEST; two seconds of run time).
 */
const FUNCTION_ARN = "arn:aws:lambda:us-east-1:123456789012:function:ebb-local-termination-policy";

const live = (world: World) => world.autoscaling.instances().filter((instance) => instance.lifecycleState !== "Terminated");
const terminating = (world: World) => live(world).filter((instance) => instance.lifecycleState.startsWith("Terminat")).map((instance) => instance.instanceId).sort();
const describeGroup = (world: World) => (asg(world, "DescribeAutoScalingGroups", {}) as { AutoScalingGroups: { TerminationPolicies: string[] }[] }).AutoScalingGroups[0];

const withPolicy = (input: ScenarioConfigInput = {}, answer: (payload: TerminationPolicyInput) => unknown | Promise<unknown> = () => ({ InstanceIDs: [] })) => {
  const world = makeWorld({ fleet: { desiredCapacity: 6 }, clients: { sessions: 0 }, ...input });
  const payloads: TerminationPolicyInput[] = [];
  const invoker: FunctionInvoker = {
    invoke: (arn, payload) => {
      expect(arn).toBe(FUNCTION_ARN);
      payloads.push(payload as TerminationPolicyInput);
      const result = Promise.resolve().then(async () => {
        const startMs = world.clock.nowMs;
        const answered = await answer(payload as TerminationPolicyInput);
        return { payload: answered, durationMs: world.clock.nowMs - startMs };
      });
      world.events.track(result);
      return result;
    },
  };
  world.autoscaling.terminationPolicies.connect(invoker);
  asg(world, "UpdateAutoScalingGroup", { AutoScalingGroupName: groupName(world), TerminationPolicies: [FUNCTION_ARN, "Default"] });
  return { world, payloads };
};

/** One physics step at a time, letting the function's invocation run between steps. */
const run = async (world: World, seconds: number) => {
  for (let i = 0; i < seconds; i++) {
    world.advance(1);
    await world.events.flush();
  }
};

const scaleIn = (world: World, desired: number) => asg(world, "SetDesiredCapacity", { AutoScalingGroupName: groupName(world), DesiredCapacity: String(desired) });

describe("TerminationPolicies with a Lambda function", () => {
  it("UpdateAutoScalingGroup stores the list and DescribeAutoScalingGroups returns it", () => {
    const { world } = withPolicy();
    expect(describeGroup(world)?.TerminationPolicies).toEqual([FUNCTION_ARN, "Default"]);
  });

  it.each([
    [["Default", FUNCTION_ARN], /must be specified first/],
    [[FUNCTION_ARN, `${FUNCTION_ARN}-other`], /Only one Lambda function/],
    [[`${FUNCTION_ARN}:$LATEST`], /\$LATEST/],
    [["FewestConnections"], /Invalid termination policy: FewestConnections/],
  ])("refuses %j and changes nothing", (policies, message) => {
    const { world } = withPolicy();
    expect(() => asg(world, "UpdateAutoScalingGroup", { AutoScalingGroupName: groupName(world), TerminationPolicies: policies })).toThrow(message);
    expect(describeGroup(world)?.TerminationPolicies).toEqual([FUNCTION_ARN, "Default"]);
  });
});

describe("scale in through a Lambda termination policy", () => {
  it("sends the capacity per zone and the suggested instances, and terminates what the function returns", async () => {
    const chosen = ["i-0000000000000004", "i-0000000000000005", "i-0000000000000006"];
    const { world, payloads } = withPolicy({}, () => ({ InstanceIDs: chosen }));
    scaleIn(world, 3);
    await run(world, 2);
    const payload = payloads[0];
    expect(payload?.Cause).toBe("SCALE_IN");
    expect(payload?.AutoScalingGroupName).toBe(groupName(world));
    expect(payload?.AutoScalingGroupARN).toMatch(/^arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:.*:autoScalingGroupName\/ebb-demo-asg$/);
    expect(payload?.CapacityToTerminate).toEqual([
      { AvailabilityZone: "us-east-1a", Capacity: 1, InstanceMarketOption: "on-demand" },
      { AvailabilityZone: "us-east-1b", Capacity: 1, InstanceMarketOption: "on-demand" },
      { AvailabilityZone: "us-east-1c", Capacity: 1, InstanceMarketOption: "on-demand" },
    ]);
    // Balanced zones: every instance is suggested.
    expect(payload?.Instances).toHaveLength(6);
    expect(payload?.Instances[0]).toEqual({ AvailabilityZone: expect.any(String), InstanceId: expect.any(String), InstanceType: expect.any(String), InstanceMarketOption: "on-demand" });
    expect(payload).not.toHaveProperty("HasMoreInstances");
    expect(terminating(world)).toEqual(chosen);
  });

  it("suggests only the imbalanced zone's instances when the zones are out of balance", async () => {
    const { world, payloads } = withPolicy({ fleet: { desiredCapacity: 4 } });
    scaleIn(world, 3);
    await run(world, 2);
    // 4 instances over 3 zones: us-east-1a holds 2.
    expect(payloads[0]?.CapacityToTerminate).toEqual([{ AvailabilityZone: "us-east-1a", Capacity: 1, InstanceMarketOption: "on-demand" }]);
    expect(payloads[0]?.Instances.map((instance) => instance.AvailabilityZone)).toEqual(["us-east-1a", "us-east-1a"]);
  });

  it("returning more than needed lets the default policy choose among them", async () => {
    const { world } = withPolicy({}, (payload) => ({ InstanceIDs: payload.Instances.map((instance) => instance.InstanceId) }));
    scaleIn(world, 5);
    await run(world, 2);
    expect(terminating(world)).toHaveLength(1);
  });

  it("a failing function terminates nothing and is invoked again after retrySeconds", async () => {
    let calls = 0;
    const { world, payloads } = withPolicy({ aws: { autoscaling: { customTerminationPolicy: { retrySeconds: 30 } } } }, () => {
      calls += 1;
      if (calls === 1) throw new Error("boom");
      return { InstanceIDs: ["i-0000000000000001"] };
    });
    scaleIn(world, 5);
    await run(world, 29);
    expect(payloads).toHaveLength(1);
    expect(terminating(world)).toEqual([]);
    await run(world, 4);
    expect(payloads).toHaveLength(2);
    expect(terminating(world)).toEqual(["i-0000000000000001"]);
  });

  it("an answer later than the two-second limit is not used", async () => {
    let calls = 0;
    const { world } = withPolicy({}, async () => {
      calls += 1;
      // The function's own work takes virtual time (its SDK calls do).
      if (calls === 1) world.advance(3);
      return { InstanceIDs: ["i-0000000000000002"] };
    });
    scaleIn(world, 5);
    await run(world, 10);
    expect(terminating(world)).toEqual([]);
    const [first] = world.autoscaling.terminationPolicies.invocations();
    expect(first?.outcome).toEqual({ failure: "the function ran past 2000 ms" });
    await run(world, 30);
    expect(terminating(world)).toEqual(["i-0000000000000002"]);
  });

  it("the limit is on the function's own run time, not on physics that stepped on before it ran", async () => {
    const { world } = withPolicy({}, () => ({ InstanceIDs: ["i-0000000000000002"] }));
    scaleIn(world, 5);
    // Fifteen steps at once: the function only runs once the caller yields.
    world.advance(15);
    await world.events.flush();
    await run(world, 1);
    expect(terminating(world)).toEqual(["i-0000000000000002"]);
  });

  it("an instance the group did not suggest is ignored by default, accepted with outsideSuggestion accept", async () => {
    // 4 over 3 zones: only us-east-1a's two are suggested; us-east-1b's i-…2 is not.
    const answer = () => ({ InstanceIDs: ["i-0000000000000002"] });
    const ignoring = withPolicy({ fleet: { desiredCapacity: 4 } }, answer);
    scaleIn(ignoring.world, 3);
    await run(ignoring.world, 5);
    expect(terminating(ignoring.world)).toEqual([]);
    const accepting = withPolicy({ fleet: { desiredCapacity: 4 }, aws: { autoscaling: { customTerminationPolicy: { outsideSuggestion: "accept" } } } }, answer);
    scaleIn(accepting.world, 3);
    await run(accepting.world, 5);
    expect(terminating(accepting.world)).toEqual(["i-0000000000000002"]);
  });

  it("never terminates a protected instance the function returns", async () => {
    const { world } = withPolicy({ fleet: { protectedInstances: [0] }, aws: { autoscaling: { customTerminationPolicy: { outsideSuggestion: "accept" } } } }, () => ({ InstanceIDs: ["i-0000000000000001"] }));
    scaleIn(world, 5);
    await run(world, 5);
    expect(terminating(world)).toEqual([]);
  });

  it("without Lambda in the account the invocation fails and nothing is terminated", async () => {
    const { world } = withPolicy();
    world.autoscaling.terminationPolicies.connect(undefined);
    scaleIn(world, 5);
    await run(world, 5);
    expect(terminating(world)).toEqual([]);
    expect(world.autoscaling.terminationPolicies.invocations()[0]?.outcome).toEqual({ failure: `Function not found: ${FUNCTION_ARN}` });
  });
});

describe("instance refresh through a Lambda termination policy", () => {
  const startRefresh = (world: World) =>
    asg(world, "StartInstanceRefresh", {
      AutoScalingGroupName: groupName(world),
      DesiredConfiguration: { LaunchTemplate: { LaunchTemplateName: "ebb-app", Version: "2" } },
      Preferences: { MinHealthyPercentage: "50", InstanceWarmup: "0" },
    });
  const status = (world: World) =>
    (asg(world, "DescribeInstanceRefreshes", { AutoScalingGroupName: groupName(world) }) as { InstanceRefreshes: { Status: string; StatusReason?: string }[] }).InstanceRefreshes[0];

  it("asks with Cause INSTANCE_REFRESH and replaces what the function returns", async () => {
    const { world, payloads } = withPolicy({}, (payload) => ({ InstanceIDs: payload.Instances.slice(0, 1).map((instance) => instance.InstanceId) }));
    startRefresh(world);
    await run(world, 3);
    expect(payloads[0]?.Cause).toBe("INSTANCE_REFRESH");
    expect(terminating(world)).toHaveLength(1);
  });

  it("fails after an hour of answers with no instances", async () => {
    const { world } = withPolicy();
    startRefresh(world);
    await run(world, 3590);
    expect(status(world)?.Status).toBe("InProgress");
    expect(terminating(world)).toEqual([]);
    await run(world, 20);
    expect(status(world)?.Status).toBe("Failed");
    expect(status(world)?.StatusReason).toMatch(/custom termination policy returned no instances/);
  });
});
