import {
  AutoScalingClient,
  CompleteLifecycleActionCommand,
  CreateOrUpdateTagsCommand,
  DescribeAutoScalingGroupsCommand,
  DescribeScalingActivitiesCommand,
} from "@aws-sdk/client-auto-scaling";
import { DescribeTargetHealthCommand, ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { EmulatorRouter } from "../../../emulator/protocol/router.ts";
import { DESCRIBE_BUCKET_CAPACITY } from "../../../emulator/protocol/throttle.ts";
import { validationError } from "../../../emulator/protocol/errors.ts";
import type { Params, ServiceModel } from "../../../emulator/protocol/service-types.ts";
import { clientConfigFor, newWorld, rejection, routerClientConfig } from "../../support/protocol.ts";

/** A test-only Auto Scaling that echoes what the protocol layer decoded back through the real wire format. */
function echoAutoScaling(received: Params[]): ServiceModel {
  return {
    name: "autoscaling",
    actions: {
      DescribeAutoScalingGroups(params, { world }) {
        received.push(params);
        const { AutoScalingGroupNames } = z.object({ AutoScalingGroupNames: z.array(z.string()).default([]) }).parse(params);
        return {
          AutoScalingGroups: AutoScalingGroupNames.map((name, index) => ({
            AutoScalingGroupName: name,
            MinSize: index,
            MaxSize: 10,
            DesiredCapacity: 3,
            DefaultCooldown: 300,
            AvailabilityZones: ["us-east-1a", "us-east-1b"],
            HealthCheckType: "ELB",
            CreatedTime: world.clock.now(),
            NewInstancesProtectedFromScaleIn: index % 2 === 0,
            Instances: [],
          })),
        };
      },
      CreateOrUpdateTags(params) {
        received.push(params);
        return undefined;
      },
      CompleteLifecycleAction(params) {
        const { LifecycleActionToken } = z.object({ LifecycleActionToken: z.string() }).parse(params);
        throw validationError(`No active Lifecycle Action found with token ${LifecycleActionToken}`);
      },
    },
  };
}

const elbDescribeOnly: ServiceModel = {
  name: "elasticloadbalancing",
  actions: { DescribeTargetHealth: () => ({ TargetHealthDescriptions: [] }) },
};

describe("awsQuery through the real SDK (in process)", () => {
  it("decodes lists and lists of structures the SDK serializes, and the SDK parses the XML back", async () => {
    const world = newWorld();
    const received: Params[] = [];
    const client = new AutoScalingClient(clientConfigFor(world, { autoscaling: echoAutoScaling(received) }));
    const names = ["plain", `odd <&> "name" 'quoted'`, "ünïcødé"];
    const output = await client.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: names }));
    expect(received[0]).toEqual({ AutoScalingGroupNames: names });
    expect(output.AutoScalingGroups?.map((group) => group.AutoScalingGroupName)).toEqual(names);
    expect(output.AutoScalingGroups?.[0]?.CreatedTime).toEqual(world.clock.now());
    expect(output.AutoScalingGroups?.map((group) => group.NewInstancesProtectedFromScaleIn)).toEqual([true, false, true]);
    expect(output.AutoScalingGroups?.[1]?.AvailabilityZones).toEqual(["us-east-1a", "us-east-1b"]);
    expect(output.$metadata.requestId).toMatch(/^ebb00000-/);

    await client.send(
      new CreateOrUpdateTagsCommand({
        Tags: [
          { ResourceId: "asg-a", ResourceType: "auto-scaling-group", Key: "team", Value: "chat", PropagateAtLaunch: true },
          { ResourceId: "asg-a", ResourceType: "auto-scaling-group", Key: "env", Value: "prod" },
        ],
      }),
    );
    expect(received[1]).toEqual({
      Tags: [
        { ResourceId: "asg-a", ResourceType: "auto-scaling-group", Key: "team", Value: "chat", PropagateAtLaunch: "true" },
        { ResourceId: "asg-a", ResourceType: "auto-scaling-group", Key: "env", Value: "prod" },
      ],
    });
  });

  it("surfaces a ValidationError with its code, status and request id", async () => {
    const world = newWorld();
    const client = new AutoScalingClient(clientConfigFor(world, { autoscaling: echoAutoScaling([]) }));
    const error = await rejection(
      client.send(
        new CompleteLifecycleActionCommand({
          AutoScalingGroupName: "asg",
          LifecycleHookName: "drain",
          LifecycleActionResult: "CONTINUE",
          LifecycleActionToken: "11111111-2222-3333-4444-555555555555",
        }),
      ),
    );
    expect(error.name).toBe("ValidationError");
    expect(error.message).toBe("No active Lifecycle Action found with token 11111111-2222-3333-4444-555555555555");
    expect(error.$metadata).toMatchObject({ httpStatusCode: 400, requestId: expect.stringMatching(/^ebb00000-/) });
    expect(error.$fault).toBe("client");
  });

  it("answers an action the service does not implement with InvalidAction and counts the call", async () => {
    const world = newWorld();
    const client = new AutoScalingClient(clientConfigFor(world, { autoscaling: echoAutoScaling([]) }));
    const error = await rejection(client.send(new DescribeScalingActivitiesCommand({})));
    expect(error.name).toBe("InvalidAction");
    expect(world.stats.apiCalls.get("autoscaling:DescribeScalingActivities")).toBe(1);
  });

  it("throttles Describe calls past the token bucket, and the SDK's retry succeeds once virtual time refills it", async () => {
    const world = newWorld();
    const router = new EmulatorRouter(world, { elasticloadbalancing: elbDescribeOnly });
    const command = () => new DescribeTargetHealthCommand({ TargetGroupArn: "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/tg/1" });
    const burst = new ElasticLoadBalancingV2Client(routerClientConfig(router));
    for (let i = 0; i < DESCRIBE_BUCKET_CAPACITY; i++) await burst.send(command());
    const throttled = await rejection(burst.send(command()));
    expect(throttled.name).toBe("Throttling");
    expect(throttled.message).toBe("Rate exceeded");
    expect(throttled.$metadata).toMatchObject({ httpStatusCode: 400 });

    let attempts = 0;
    const retrying = new ElasticLoadBalancingV2Client(
      routerClientConfig(router, {
        maxAttempts: 3,
        onRequest: () => {
          attempts += 1;
          if (attempts > 1) world.advance(1);
        },
      }),
    );
    const output = await retrying.send(command());
    expect(output.TargetHealthDescriptions).toEqual([]);
    expect(output.$metadata.attempts).toBe(2);
    expect(world.stats.throttled).toBe(2);
    expect(world.stats.apiCalls.get("elasticloadbalancing:DescribeTargetHealth")).toBe(DESCRIBE_BUCKET_CAPACITY + 3);
  });

  it("turns injected API faults into the service's throttling and server errors", async () => {
    const world = newWorld({
      faults: {
        api: [
          { service: "autoscaling", action: "DescribeAutoScalingGroups", kind: "throttle", rate: 1 },
          // A fault must name an action the emulator serves (a config error otherwise).
          { service: "autoscaling", action: "CompleteLifecycleAction", kind: "server-error", rate: 1 },
        ],
      },
    });
    const client = new AutoScalingClient(clientConfigFor(world, { autoscaling: echoAutoScaling([]) }));
    const throttled = await rejection(client.send(new DescribeAutoScalingGroupsCommand({})));
    expect(throttled.name).toBe("Throttling");
    const failed = await rejection(
      client.send(new CompleteLifecycleActionCommand({ AutoScalingGroupName: "g", LifecycleHookName: "h", LifecycleActionResult: "CONTINUE", LifecycleActionToken: "t" })),
    );
    expect(failed.name).toBe("InternalFailure");
    expect(failed.$metadata).toMatchObject({ httpStatusCode: 500 });
    expect(failed.$fault).toBe("server");
  });
});

describe("service detection", () => {
  const form = (fields: Record<string, string>, headers: Record<string, string> = {}) => ({
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8", ...headers },
    query: new URLSearchParams(),
    hostname: "127.0.0.1",
    body: new TextEncoder().encode(new URLSearchParams(fields).toString()),
  });

  it("finds the service by the Version parameter or the host name when there is no credential scope", async () => {
    const world = newWorld();
    const received: Params[] = [];
    const router = new EmulatorRouter(world, { autoscaling: echoAutoScaling(received) });
    const byVersion = await router.route(form({ Action: "DescribeAutoScalingGroups", Version: "2011-01-01", "AutoScalingGroupNames.member.1": "a" }));
    expect(byVersion.statusCode).toBe(200);
    const byHost = await router.route({ ...form({ Action: "DescribeAutoScalingGroups", "AutoScalingGroupNames.member.1": "b" }), hostname: "autoscaling.us-east-1.amazonaws.com" });
    expect(byHost.statusCode).toBe(200);
    expect(received).toEqual([{ AutoScalingGroupNames: ["a"] }, { AutoScalingGroupNames: ["b"] }]);
  });

  it("refuses another API version under the same signing name, and requests without an action", async () => {
    const world = newWorld();
    const router = new EmulatorRouter(world, { elasticloadbalancing: elbDescribeOnly });
    const scope = { authorization: "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/elasticloadbalancing/aws4_request, SignedHeaders=host, Signature=0" };
    const classic = await router.route(form({ Action: "DescribeLoadBalancers", Version: "2012-06-01" }, scope));
    expect(classic.statusCode).toBe(400);
    expect(classic.body).toContain("<Code>NoSuchVersion</Code>");
    const noAction = await router.route(form({ Version: "2015-12-01" }, scope));
    expect(noAction.body).toContain("<Code>MissingAction</Code>");
    expect(noAction.headers["x-amzn-RequestId"]).toMatch(/^ebb00000-/);
  });
});
