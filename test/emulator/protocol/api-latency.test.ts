import { DescribeTargetHealthCommand, ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { describe, expect, it } from "vitest";
import { elasticLoadBalancingService } from "../../../emulator/elbv2/actions/index.ts";
import { EmulatorRouter } from "../../../emulator/protocol/router.ts";
import { createAwsClients } from "../../../sim/aws-clients.ts";
import type { World } from "../../../sim/world.ts";
import { newWorld, routerClientConfig } from "../../support/protocol.ts";

/*
 * "Request throttling for the ELB API", Elastic Load Balancing User Guide:
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/userguide/elb-api-throttling.html
 * "ELB uses the token bucket algorithm ... the bucket size for non-mutating API actions is 40
 * tokens ... the refill rate is 10 tokens per second ... You don't need to wait for the bucket to
 * be completely full before you can make API requests. You can use refill tokens as they are
 * added to the bucket."
 */

const BURST = 100;

/** A burst of DescribeTargetHealth calls, one after another as a poll loop makes them; returns how many were throttled. */
async function burst(world: World, apiLatencyMs: number): Promise<number> {
  const router = new EmulatorRouter(world, { elasticloadbalancing: elasticLoadBalancingService });
  const elb = new ElasticLoadBalancingV2Client(routerClientConfig(router, { apiLatencyMs, maxAttempts: 1 }));
  const targetGroupArn = world.elb.targetGroups()[0]?.targetGroupArn;
  let throttled = 0;
  for (let call = 0; call < BURST; call++) {
    try {
      await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn }));
    } catch (error) {
      if ((error as Error).name !== "Throttling") throw error;
      throttled += 1;
    }
  }
  return throttled;
}

describe("API latency in virtual time (aws.apiLatencyMs) against the Describe token bucket", () => {
  it.each([
    // Every call at one instant: 40 tokens, no refill, the other 60 are throttled.
    { apiLatencyMs: 0, throttled: 60, elapsedMs: 0 },
    // 0.5 tokens back per call: call k finds 40 - 0.5(k-1) tokens, so calls 1–79 pass, then every other one: 11 of 21 fail.
    { apiLatencyMs: 50, throttled: 11, elapsedMs: 5000 },
    // 1 token back per call: the bucket never runs dry.
    { apiLatencyMs: 100, throttled: 0, elapsedMs: 10_000 },
  ])("a burst of $throttled throttled of 100 with $apiLatencyMs ms per call", async ({ apiLatencyMs, throttled, elapsedMs }) => {
    const world = newWorld({ clients: { sessions: 0 } });
    const startMs = world.clock.nowMs;
    expect(await burst(world, apiLatencyMs)).toBe(throttled);
    expect(world.clock.nowMs - startMs).toBe(elapsedMs);
  });

  it("the simulation's clients take the scenario's latency per call, retries included", async () => {
    const world = newWorld({ clients: { sessions: 0 }, aws: { apiLatencyMs: 40 } });
    const { elbv2 } = createAwsClients(world, { maxAttempts: 1 });
    const startMs = world.clock.nowMs;
    await elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: world.elb.targetGroups()[0]?.targetGroupArn }));
    expect(world.clock.nowMs - startMs).toBe(40);
    expect(newWorld().config.aws.apiLatencyMs).toBe(30);
  });
});
