import { TerminateInstanceInAutoScalingGroupCommand } from "@aws-sdk/client-auto-scaling";
import { DeregisterTargetsCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { describe, expect, it } from "vitest";
import type { ScenarioConfigInput } from "../../../sim/config/schema.ts";
import { instanceAt, makeWorld, targetGroupArn } from "../../support/fleet.ts";
import { describeHealth, sdkClients, watchHealth, type HealthChange } from "../../support/target-health.ts";

/*
 * Deregistration delay, in "Edit target group attributes" of the ALB guide:
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/edit-target-group-attributes.html#deregistration-delay
 * "The initial state of a deregistering target is draining. After the deregistration delay
 * elapses, the deregistration process completes and the state of the target is unused."
 * A target without in-flight requests or connections completes deregistration at once, yet its
 * status is displayed as draining until the deregistration delay has elapsed.
 */

const deregister = async (world: ReturnType<typeof makeWorld>, instanceId: string): Promise<void> => {
  await sdkClients(world).elbv2.send(new DeregisterTargetsCommand({ TargetGroupArn: targetGroupArn(world), Targets: [{ Id: instanceId }] }));
};

describe("deregistration states over time (ALB guide, Deregistration delay)", () => {
  it.each<{ delay: number; expected: HealthChange[] }>([
    { delay: 0, expected: [[0, "unused", "Target.NotRegistered"]] },
    { delay: 30, expected: [[0, "draining", "Target.DeregistrationInProgress"], [30, "unused", "Target.NotRegistered"]] },
    { delay: 300, expected: [[0, "draining", "Target.DeregistrationInProgress"], [300, "unused", "Target.NotRegistered"]] },
  ])("a target without connections shows draining until the $delay s delay is over", async ({ delay, expected }) => {
    const world = makeWorld({ clients: { sessions: 0 }, targetGroup: { deregistrationDelaySeconds: delay } });
    const id = instanceAt(world, 2).instanceId;
    await deregister(world, id);
    expect(await watchHealth(sdkClients(world), world, id, delay + 5)).toEqual(expected);
    expect(world.stats.forcedDisconnects).toBe(0);
  });

  it("open connections are closed when the delay expires, counted as forced", async () => {
    const world = makeWorld({ targetGroup: { deregistrationDelaySeconds: 30 } });
    const id = instanceAt(world, 0).instanceId;
    expect(world.clients.connectionsOf(id)).toBe(100);
    await deregister(world, id);
    world.advance(29);
    expect(await describeHealth(sdkClients(world), world, id)).toEqual({ state: "draining", reason: "Target.DeregistrationInProgress" });
    expect(world.stats.forcedDisconnects).toBe(0);
    world.advance(1);
    expect(await describeHealth(sdkClients(world), world, id)).toEqual({ state: "unused", reason: "Target.NotRegistered" });
    expect(world.clients.connectionsOf(id)).toBe(0);
    expect(world.stats.forcedDisconnects).toBe(100);
  });

  it("a target whose app sheds every connection still shows draining until the delay, and nothing is forced", async () => {
    const world = makeWorld({ targetGroup: { deregistrationDelaySeconds: 300 }, app: { drainRatePerSecond: 20 } });
    const id = instanceAt(world, 0).instanceId;
    await deregister(world, id);
    expect(world.clients.startDrain(id)).toBe(true);
    world.advance(10);
    expect(world.clients.connectionsOf(id)).toBe(0);
    expect(await watchHealth(sdkClients(world), world, id, 291)).toEqual([
      [0, "draining", "Target.DeregistrationInProgress"],
      [290, "unused", "Target.NotRegistered"],
    ]);
    expect(world.stats.forcedDisconnects).toBe(0);
    expect(world.stats.gracefulHandoffs).toBe(100);
  });
});

/*
 * The ASG deregisters a terminating instance from its target groups and waits for connection
 * draining ("WaitingForELBConnectionDraining") before it terminates it; users report it waits the
 * whole delay even when nothing is left:
 * https://repost.aws/questions/QUBxhYcFd_RrqBPHFJsVsPqQ/ec2-instance-terminated-with-active-processes
 * and "Elastic Load Balancing waits for in-flight requests to complete or for the maximum timeout
 * to expire (whichever comes first)" (https://docs.aws.amazon.com/autoscaling/ec2/userguide/load-balancer-status.html).
 */
describe("the ASG waits for connection draining on terminate (fleet.asgDrainWait)", () => {
  it.each<{ name: string; wait: "full-delay" | "until-drained"; sessions: number; drainRate?: number; movesOnAt: number }>([
    { name: "full-delay, no connections: the whole delay", wait: "full-delay", sessions: 0, movesOnAt: 120 },
    { name: "full-delay, app shedding at 10/s: still the whole delay", wait: "full-delay", sessions: 300, drainRate: 10, movesOnAt: 120 },
    { name: "until-drained, no connections: the propagation window", wait: "until-drained", sessions: 0, movesOnAt: 5 },
    // The last ten leave in the physics step of second 10, after the ASG's turn in that step: it sees them gone at 11.
    { name: "until-drained, app shedding 100 at 10/s: when the last is gone", wait: "until-drained", sessions: 300, drainRate: 10, movesOnAt: 11 },
  ])("$name", async ({ wait, sessions, drainRate, movesOnAt }) => {
    const input: ScenarioConfigInput = {
      fleet: { asgDrainWait: wait },
      clients: { sessions },
      targetGroup: { deregistrationDelaySeconds: 120, deregistrationPropagationSeconds: 5 },
      ...(drainRate === undefined ? {} : { app: { drainRatePerSecond: drainRate } }),
    };
    const world = makeWorld(input);
    const instance = instanceAt(world, 0);
    if (drainRate !== undefined) world.clients.startDrain(instance.instanceId);
    await sdkClients(world).autoScaling.send(
      new TerminateInstanceInAutoScalingGroupCommand({ InstanceId: instance.instanceId, ShouldDecrementDesiredCapacity: true }),
    );
    const changes: [number, string][] = [[0, instance.lifecycleState]];
    for (let second = 1; second <= 130; second++) {
      world.advance(1);
      if (changes.at(-1)?.[1] !== instance.lifecycleState) changes.push([second, instance.lifecycleState]);
    }
    expect(changes.slice(0, 2)).toEqual([
      [0, "Terminating"],
      [movesOnAt, "Terminating:Proceed"],
    ]);
    expect(world.stats.forcedDisconnects).toBe(0);
  });
});

describe("new connections after DeregisterTargets (targetGroup.deregistrationPropagationSeconds)", () => {
  it.each<{ propagation: number; lateArrivals: boolean }>([
    { propagation: 0, lateArrivals: false },
    { propagation: 5, lateArrivals: true },
  ])("propagation window $propagation s: late arrivals $lateArrivals", async ({ propagation, lateArrivals }) => {
    const world = makeWorld({ targetGroup: { deregistrationPropagationSeconds: propagation, algorithm: "least_connections" } });
    const id = instanceAt(world, 0).instanceId;
    // Its clients are cut and reconnect within a second or two: the emptiest target is this one.
    world.clients.forceCloseAll(id, "crash");
    await deregister(world, id);
    world.advance(propagation);
    const atWindowEnd = world.clients.connectionsOf(id);
    expect(atWindowEnd > 0).toBe(lateArrivals);
    world.advance(30);
    // Once every node knows, nothing new arrives (without churn nothing leaves either).
    expect(world.clients.connectionsOf(id)).toBe(atWindowEnd);
    expect(await describeHealth(sdkClients(world), world, id)).toEqual({ state: "draining", reason: "Target.DeregistrationInProgress" });
  });
});

