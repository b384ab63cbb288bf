import { DescribeTargetGroupAttributesCommand, ModifyTargetGroupAttributesCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { describe, expect, it } from "vitest";
import { createAwsClients } from "../../../sim/aws-clients.ts";
import { elb, instanceAt, makeWorld, stateOf, targetGroupArn } from "../../support/fleet.ts";

const DELAY_KEY = "deregistration_delay.timeout_seconds";

// ModifyTargetGroupAttributes — https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_ModifyTargetGroupAttributes.html
// Target group attributes, deregistration_delay.timeout_seconds (0-3600, default 300) —
// https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-target-groups.html#deregistration-delay
describe("ModifyTargetGroupAttributes: deregistration delay", () => {
  it("changes the delay through the SDK, and DescribeTargetGroupAttributes reports it", async () => {
    const world = makeWorld({ targetGroup: { deregistrationDelaySeconds: 30 } });
    const { elbv2 } = createAwsClients(world);
    const TargetGroupArn = targetGroupArn(world);
    const modified = await elbv2.send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn, Attributes: [{ Key: DELAY_KEY, Value: "330" }] }));
    expect(modified.Attributes?.find((entry) => entry.Key === DELAY_KEY)?.Value).toBe("330");
    const described = await elbv2.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn }));
    expect(described.Attributes?.find((entry) => entry.Key === DELAY_KEY)?.Value).toBe("330");
  });

  it("a target deregistered after the change keeps its connections for the new delay", () => {
    const world = makeWorld({ targetGroup: { deregistrationDelaySeconds: 30 } });
    const TargetGroupArn = targetGroupArn(world);
    elb(world, "ModifyTargetGroupAttributes", { TargetGroupArn, Attributes: [{ Key: DELAY_KEY, Value: "120" }] });
    const id = instanceAt(world, 0).instanceId;
    elb(world, "DeregisterTargets", { TargetGroupArn, Targets: [{ Id: id }] });
    world.advance(60);
    expect(stateOf(world, id)).toBe("draining");
    expect(world.stats.forcedDisconnects).toBe(0);
  });

  it("refuses values outside 0-3600 and unknown keys, changing nothing", async () => {
    const world = makeWorld({ targetGroup: { deregistrationDelaySeconds: 30 } });
    const { elbv2 } = createAwsClients(world);
    const TargetGroupArn = targetGroupArn(world);
    await expect(elbv2.send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn, Attributes: [{ Key: DELAY_KEY, Value: "3601" }] }))).rejects.toMatchObject({
      name: "InvalidConfigurationRequestException",
    });
    await expect(elbv2.send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn, Attributes: [{ Key: "deregistration_delay.timeout", Value: "60" }] }))).rejects.toMatchObject({
      name: "ValidationError",
    });
    expect(world.elb.targetGroups()[0]?.deregistrationDelaySeconds).toBe(30);
  });
});
