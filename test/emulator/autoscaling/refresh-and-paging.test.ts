import { describe, expect, it } from "vitest";
import type { World } from "../../../sim/world.ts";
import { advanceUntil, asg, elb, groupName, makeWorld, targetGroupArn } from "../../support/fleet.ts";

const healthyInService = (world: World): number =>
  world.autoscaling.instances().filter((instance) => instance.lifecycleState === "InService" && world.elb.targetState(targetGroupArn(world), instance.instanceId) === "healthy").length;

describe("instance refresh", () => {
  it("replaces every instance in batches bounded by MinHealthyPercentage, draining only by deregistration delay", () => {
    const world = makeWorld({ fleet: { desiredCapacity: 4 }, clients: { sessions: 400 }, targetGroup: { deregistrationDelaySeconds: 20 } });
    const { InstanceRefreshId } = asg(world, "StartInstanceRefresh", {
      AutoScalingGroupName: groupName(world),
      DesiredConfiguration: { LaunchTemplate: { LaunchTemplateName: "ebb-app", Version: "2" } },
      Preferences: { MinHealthyPercentage: "75", InstanceWarmup: "30" },
    }) as { InstanceRefreshId: string };
    expect(() => asg(world, "StartInstanceRefresh", { AutoScalingGroupName: groupName(world) })).toThrow("An Instance Refresh is already in progress");
    let minHealthy = Number.POSITIVE_INFINITY;
    const status = () => (asg(world, "DescribeInstanceRefreshes", { AutoScalingGroupName: groupName(world) }) as { InstanceRefreshes: { Status: string; PercentageComplete: number }[] }).InstanceRefreshes[0];
    advanceUntil(world, () => {
      minHealthy = Math.min(minHealthy, healthyInService(world));
      return status()?.Status === "Successful";
    });
    expect(status()).toMatchObject({ Status: "Successful", PercentageComplete: 100 });
    expect(minHealthy).toBeGreaterThanOrEqual(3);
    const running = world.autoscaling.instances().filter((instance) => instance.lifecycleState === "InService");
    expect(running.map((instance) => instance.launchTemplate.version)).toEqual(["2", "2", "2", "2"]);
    expect(world.autoscaling.group(groupName(world))?.launchTemplate.version).toBe("2");
    expect(world.stats.forcedDisconnects).toBeGreaterThan(0);
    expect(InstanceRefreshId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("SkipMatching leaves instances already on the desired configuration; cancel stops it", () => {
    const world = makeWorld({ fleet: { desiredCapacity: 3 }, clients: { sessions: 0 } });
    const { InstanceRefreshes } = asg(world, "DescribeInstanceRefreshes", { AutoScalingGroupName: groupName(world) }) as { InstanceRefreshes: unknown[] };
    expect(InstanceRefreshes).toEqual([]);
    asg(world, "StartInstanceRefresh", { AutoScalingGroupName: groupName(world), Preferences: { SkipMatching: "true" } });
    world.advance(1);
    const refresh = world.autoscaling.group(groupName(world))?.refreshes[0];
    expect(refresh?.status).toBe("Successful");
    expect(world.stats.instancesLaunched).toBe(0);

    asg(world, "StartInstanceRefresh", { AutoScalingGroupName: groupName(world), Preferences: { MinHealthyPercentage: "100", InstanceWarmup: "0" } });
    asg(world, "CancelInstanceRefresh", { AutoScalingGroupName: groupName(world) });
    expect(() => asg(world, "CancelInstanceRefresh", { AutoScalingGroupName: groupName(world) })).toThrow("No in progress or pending Instance Refresh found");
    advanceUntil(world, () => world.autoscaling.group(groupName(world))?.refreshes[1]?.status === "Cancelled");
    expect(world.stats.instancesLaunched).toBeLessThanOrEqual(1);
  });
});

describe("pagination and describe shapes", () => {
  it("pages DescribeAutoScalingInstances with NextToken / MaxRecords over more than one page", () => {
    const world = makeWorld({ fleet: { desiredCapacity: 120 }, clients: { sessions: 1200 } });
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = asg(world, "DescribeAutoScalingInstances", { MaxRecords: "50", ...(token ? { NextToken: token } : {}) }) as { AutoScalingInstances: { InstanceId: string; HealthStatus: string }[]; NextToken?: string };
      seen.push(...page.AutoScalingInstances.map((instance) => instance.InstanceId));
      expect(page.AutoScalingInstances.every((instance) => instance.HealthStatus === "HEALTHY")).toBe(true);
      token = page.NextToken;
      pages += 1;
    } while (token !== undefined);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(120);
    expect(() => asg(world, "DescribeAutoScalingInstances", { NextToken: "garbage" })).toThrow();
    expect(() => asg(world, "DescribeAutoScalingInstances", { MaxRecords: "51" })).toThrow();
  });

  it("DescribeTargetHealth answers every target in one response; unknown ids are unused", () => {
    const world = makeWorld({ fleet: { desiredCapacity: 120 }, clients: { sessions: 0 } });
    const all = elb(world, "DescribeTargetHealth", { TargetGroupArn: targetGroupArn(world) }) as { TargetHealthDescriptions: { TargetHealth: { State: string } }[] };
    expect(all.TargetHealthDescriptions).toHaveLength(120);
    const one = elb(world, "DescribeTargetHealth", { TargetGroupArn: targetGroupArn(world), Targets: [{ Id: "i-00000000000000ff" }] });
    expect(one).toEqual({
      TargetHealthDescriptions: [
        { Target: { Id: "i-00000000000000ff", Port: 8080 }, HealthCheckPort: "8080", TargetHealth: { State: "unused", Reason: "Target.NotRegistered", Description: "Target is not registered to the target group" } },
      ],
    });
    expect(() => elb(world, "DescribeTargetHealth", { TargetGroupArn: `${targetGroupArn(world)}0` })).toThrow("One or more target groups not found");
    expect(() => elb(world, "RegisterTargets", { TargetGroupArn: targetGroupArn(world), Targets: [{ Id: "i-0fffffffffffffff" }] })).toThrow("The following instances do not exist: 'i-0fffffffffffffff'");
  });

  it("describes target groups, attributes, load balancers and listeners with Marker / PageSize", () => {
    const world = makeWorld({ targetGroup: { deregistrationDelaySeconds: 45, algorithm: "least_connections" } });
    const groups = elb(world, "DescribeTargetGroups", { Names: ["ebb-app-tg"], PageSize: "1" }) as { TargetGroups: Record<string, unknown>[]; NextMarker?: string };
    expect(groups.TargetGroups[0]).toMatchObject({ TargetGroupArn: targetGroupArn(world), HealthCheckIntervalSeconds: 10, HealthyThresholdCount: 3, UnhealthyThresholdCount: 2 });
    expect(targetGroupArn(world)).toMatch(/^arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup\/ebb-app-tg\/[0-9a-f]{16}$/);
    expect(groups.NextMarker).toBeUndefined();
    const attributes = elb(world, "DescribeTargetGroupAttributes", { TargetGroupArn: targetGroupArn(world) }) as { Attributes: { Key: string; Value: string }[] };
    expect(attributes.Attributes).toEqual(expect.arrayContaining([
      { Key: "deregistration_delay.timeout_seconds", Value: "45" },
      { Key: "load_balancing.algorithm.type", Value: "least_outstanding_requests" },
      { Key: "stickiness.enabled", Value: "false" },
    ]));
    const balancers = elb(world, "DescribeLoadBalancers", {}) as { LoadBalancers: { LoadBalancerArn: string; Type: string }[] };
    expect(balancers.LoadBalancers).toHaveLength(1);
    const arn = balancers.LoadBalancers[0]?.LoadBalancerArn ?? "";
    const listeners = elb(world, "DescribeListeners", { LoadBalancerArn: arn }) as { Listeners: { DefaultActions: { TargetGroupArn: string }[] }[] };
    expect(listeners.Listeners[0]?.DefaultActions[0]?.TargetGroupArn).toBe(targetGroupArn(world));
    expect(() => elb(world, "DescribeLoadBalancers", { Names: ["nope"] })).toThrow("One or more load balancers not found");
    expect(() => elb(world, "DescribeListeners", {})).toThrow();
  });
});

describe("determinism", () => {
  it("the same seed gives identical state", () => {
    const run = (seed: number) => {
      const world = makeWorld({
        seed,
        fleet: { desiredCapacity: 6, maxSize: 12 },
        clients: { sessions: 6000, churnPerHour: 2, meanAwaySeconds: 30 },
        app: { versions: { "2": { bootFailureRate: 0.3, bootSeconds: 40 } } },
        faults: { crashes: [{ atSeconds: 100, instanceIndex: 2 }] },
      });
      asg(world, "StartInstanceRefresh", { AutoScalingGroupName: groupName(world), DesiredConfiguration: { LaunchTemplate: { LaunchTemplateName: "ebb-app", Version: "2" } }, Preferences: { InstanceWarmup: "10" } });
      world.advance(1800);
      return JSON.stringify({
        instances: world.autoscaling.instances(),
        connections: world.autoscaling.instances().map((instance) => world.clients.connectionsOf(instance.instanceId)),
        counts: world.clients.counts(),
        stats: { ...world.stats, apiCalls: [...world.stats.apiCalls] },
      });
    };
    expect(run(7)).toBe(run(7));
    expect(run(7)).not.toBe(run(8));
  });
});
