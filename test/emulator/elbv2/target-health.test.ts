import { SetDesiredCapacityCommand } from "@aws-sdk/client-auto-scaling";
import { DeregisterTargetsCommand, DescribeTargetGroupsCommand, RegisterTargetsCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { describe, expect, it } from "vitest";
import type { ScenarioConfigInput } from "../../../sim/config/schema.ts";
import { groupName, instanceAt, makeWorld, targetGroupArn } from "../../support/fleet.ts";
import { describeHealth, sdkClients, watchHealth, type HealthChange } from "../../support/target-health.ts";

/*
 * Health checks for Application Load Balancer target groups:
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html
 * "After your target is registered, it must pass one health check to be considered healthy."
 * HealthyThresholdCount: consecutive successes before an unhealthy target is considered healthy;
 * UnhealthyThresholdCount: consecutive failures before a target is considered unhealthy.
 * Reason codes: TargetHealth in the ELBv2 API reference,
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetHealth.html
 * (checks timed out: Target.Timeout; unexpected HTTP code: Target.ResponseCodeMismatch;
 * health checks disabled: unavailable / Target.HealthCheckDisabled).
 * The scenario's initial targets have their checks at 1 s (instance 0), 2 s (1), 3 s (2), then every 10 s.
 */

describe("a new target: registration, then one passing check (ALB guide, Health checks for target groups)", () => {
  it.each<{ name: string; registrationSeconds?: number; expected: HealthChange[] }>([
    { name: "default registration time", expected: [[0, "initial", "Elb.RegistrationInProgress"], [8, "healthy", undefined]] },
    { name: "registrationSeconds 3", registrationSeconds: 3, expected: [[0, "initial", "Elb.RegistrationInProgress"], [3, "healthy", undefined]] },
    { name: "registrationSeconds 25 (longer than the interval)", registrationSeconds: 25, expected: [[0, "initial", "Elb.RegistrationInProgress"], [25, "healthy", undefined]] },
  ])("an app that answers is healthy after one check: $name", async ({ registrationSeconds, expected }) => {
    const world = makeWorld({ clients: { sessions: 0 }, targetGroup: { deregistrationDelaySeconds: 0, ...(registrationSeconds === undefined ? {} : { registrationSeconds }) } });
    const clients = sdkClients(world);
    const id = instanceAt(world, 0).instanceId;
    const TargetGroupArn = targetGroupArn(world);
    await clients.elbv2.send(new DeregisterTargetsCommand({ TargetGroupArn, Targets: [{ Id: id }] }));
    expect(await describeHealth(clients, world, id)).toEqual({ state: "unused", reason: "Target.NotRegistered" });
    await clients.elbv2.send(new RegisterTargetsCommand({ TargetGroupArn, Targets: [{ Id: id }] }));
    expect(await watchHealth(clients, world, id, 40)).toEqual(expected);
  });

  // Launched 1 s after SetDesiredCapacity, running (and registered by the ASG) 5 s later, first check 8 s after
  // that; a check the booting app does not answer fails when its 5 s timeout runs out.
  it.each<{ name: string; bootSeconds: number; expected: HealthChange[] }>([
    {
      name: "booted before the second check: healthy on its first pass",
      bootSeconds: 15,
      expected: [[0, "unused", "Target.NotRegistered"], [5, "initial", "Elb.RegistrationInProgress"], [18, "initial", "Elb.InitialHealthChecking"], [23, "healthy", undefined]],
    },
    {
      name: "still booting after unhealthyThreshold checks: unhealthy, then healthyThreshold passes",
      bootSeconds: 40,
      expected: [
        [0, "unused", "Target.NotRegistered"],
        [5, "initial", "Elb.RegistrationInProgress"],
        [18, "initial", "Elb.InitialHealthChecking"],
        [28, "unhealthy", "Target.Timeout"],
        [63, "healthy", undefined],
      ],
    },
  ])("a launched instance whose app is booting: $name", async ({ bootSeconds, expected }) => {
    const world = makeWorld({ clients: { sessions: 0 }, app: { versions: { "1": { bootSeconds } } } });
    const clients = sdkClients(world);
    await clients.autoScaling.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: groupName(world), DesiredCapacity: 4 }));
    world.advance(1);
    expect(await watchHealth(clients, world, instanceAt(world, 3).instanceId, 80)).toEqual(expected);
  });
});

describe("healthy ↔ unhealthy with the thresholds and the reason the physics gives (ALB guide, TargetHealth API reference)", () => {
  const quiet: ScenarioConfigInput = { fleet: { healthCheckType: "EC2" }, clients: { sessions: 0 } };
  it.each<{ name: string; input: ScenarioConfigInput; crash?: boolean; index: number; seconds: number; expected: HealthChange[] }>([
    {
      name: "host crashed, unhealthyThreshold 2: Target.Timeout when the second check's 5 s timeout runs out",
      input: { targetGroup: { healthCheck: { unhealthyThreshold: 2 } } },
      crash: true,
      index: 1,
      seconds: 30,
      expected: [[0, "healthy", undefined], [17, "unhealthy", "Target.Timeout"]],
    },
    {
      name: "host crashed, unhealthyThreshold 2, timeoutSeconds 2",
      input: { targetGroup: { healthCheck: { unhealthyThreshold: 2, timeoutSeconds: 2 } } },
      crash: true,
      index: 1,
      seconds: 30,
      expected: [[0, "healthy", undefined], [14, "unhealthy", "Target.Timeout"]],
    },
    {
      name: "host crashed, unhealthyThreshold 3: on the third",
      input: { targetGroup: { healthCheck: { unhealthyThreshold: 3 } } },
      crash: true,
      index: 1,
      seconds: 30,
      expected: [[0, "healthy", undefined], [27, "unhealthy", "Target.Timeout"]],
    },
    {
      name: "bad release answering 503: Target.ResponseCodeMismatch",
      input: { app: { versions: { "1": { healthy: false } } } },
      index: 0,
      seconds: 30,
      expected: [[0, "healthy", undefined], [11, "unhealthy", "Target.ResponseCodeMismatch"]],
    },
    {
      name: "shared outage for 30 s, healthyThreshold 3: back after three passes",
      input: { faults: { sharedOutages: [{ atSeconds: 0, durationSeconds: 30 }] }, targetGroup: { healthCheck: { healthyThreshold: 3 } } },
      index: 0,
      seconds: 70,
      expected: [[0, "healthy", undefined], [11, "unhealthy", "Target.ResponseCodeMismatch"], [51, "healthy", undefined]],
    },
    {
      name: "shared outage for 30 s, healthyThreshold 2: back after two passes",
      input: { faults: { sharedOutages: [{ atSeconds: 0, durationSeconds: 30 }] }, targetGroup: { healthCheck: { healthyThreshold: 2 } } },
      index: 0,
      seconds: 70,
      expected: [[0, "healthy", undefined], [11, "unhealthy", "Target.ResponseCodeMismatch"], [41, "healthy", undefined]],
    },
  ])("$name", async ({ input, crash, index, seconds, expected }) => {
    const world = makeWorld({ ...quiet, ...input });
    const clients = sdkClients(world);
    const id = instanceAt(world, index).instanceId;
    if (crash === true) expect(world.autoscaling.crashInstance(id)).toBe(true);
    expect(await watchHealth(clients, world, id, seconds)).toEqual(expected);
  });

  it("a draining target that fails its checks is unhealthy.draining", async () => {
    const world = makeWorld({ fleet: { healthCheckType: "EC2" } });
    const clients = sdkClients(world);
    const id = instanceAt(world, 0).instanceId;
    world.autoscaling.crashInstance(id);
    await clients.elbv2.send(new DeregisterTargetsCommand({ TargetGroupArn: targetGroupArn(world), Targets: [{ Id: id }] }));
    expect(await watchHealth(clients, world, id, 30)).toEqual([
      [0, "draining", "Target.DeregistrationInProgress"],
      [16, "unhealthy.draining", "Target.Timeout"],
    ]);
  });

  it("with health checks disabled every target is unavailable and routed to", async () => {
    const world = makeWorld({ clients: { sessions: 0 }, targetGroup: { healthCheck: { enabled: false } } });
    const clients = sdkClients(world);
    const groups = await clients.elbv2.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [targetGroupArn(world)] }));
    expect(groups.TargetGroups?.[0]?.HealthCheckEnabled).toBe(false);
    const id = instanceAt(world, 0).instanceId;
    world.autoscaling.crashInstance(id);
    expect(await watchHealth(clients, world, id, 30)).toEqual([[0, "unavailable", "Target.HealthCheckDisabled"]]);
    expect(world.elb.routableInstanceIds()).toHaveLength(3);
  });
});

describe("routing by health (ALB guide, Health checks for target groups: fail open)", () => {
  it("fails open: with every target unhealthy the load balancer still routes to all of them", () => {
    const world = makeWorld({
      fleet: { healthCheckType: "EC2" },
      clients: { churnPerHour: 36, meanAwaySeconds: 1 },
      faults: { sharedOutages: [{ atSeconds: 0, durationSeconds: 600 }] },
    });
    world.advance(60);
    const arn = targetGroupArn(world);
    expect(world.elb.healthCounts(arn)).toEqual({ healthy: 0, unhealthy: 3 });
    expect(world.elb.routableInstanceIds()).toHaveLength(3);
    world.advance(1);
    expect(world.clients.newConnectionsLastStep()).toBeGreaterThan(0);
    expect(world.clients.totalConnections()).toBeGreaterThan(250);
  });

  it("routes only to healthy targets when some are healthy", () => {
    const world = makeWorld();
    const sick = instanceAt(world, 0).instanceId;
    world.autoscaling.crashInstance(sick);
    world.advance(30);
    expect(world.elb.routableInstanceIds()).not.toContain(sick);
    expect(world.elb.routableInstanceIds()).toHaveLength(2);
  });
});
