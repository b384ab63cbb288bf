import { describe, expect, it } from "vitest";
import {
  autoScalingGroupArn,
  resourceName,
  ssmDocumentArn,
  stateMachineConsoleUrl,
  targetGroupArn,
  targetGroupGrants,
} from "../../infra/arns.ts";

const virginia = { account: "123456789012", region: "us-east-1" };
const beijing = { account: "123456789012", region: "cn-north-1" };
const tg = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/ebb-app-tg/0123456789abcdef";

describe("ARNs", () => {
  it("use the partition of the region", () => {
    expect(autoScalingGroupArn(virginia, "ebb-demo-asg")).toBe(
      "arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:*:autoScalingGroupName/ebb-demo-asg",
    );
    expect(autoScalingGroupArn(beijing, "g")).toMatch(/^arn:aws-cn:autoscaling:cn-north-1:/);
    expect(stateMachineConsoleUrl(beijing, "arn:x")).toMatch(/^https:\/\/cn-north-1\.console\.amazonaws\.cn\//);
  });

  it("put AWS-owned SSM documents in no account", () => {
    expect(ssmDocumentArn(virginia, "AWS-RunShellScript")).toBe("arn:aws:ssm:us-east-1::document/AWS-RunShellScript");
    expect(ssmDocumentArn(virginia, "ebb-drain")).toBe("arn:aws:ssm:us-east-1:123456789012:document/ebb-drain");
  });

  it("grant a target group by name under any id in the stage's account and region, by ARN exactly", () => {
    expect(targetGroupArn(virginia, "ebb-app-tg")).toBe("arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/ebb-app-tg/*");
    expect(targetGroupArn(virginia, tg)).toBe(tg);
    expect(targetGroupGrants(virginia, "ebb-app-tg", tg)).toBe(true);
    expect(targetGroupGrants(virginia, "ebb-app", tg)).toBe(false);
    expect(targetGroupGrants({ ...virginia, region: "eu-west-1" }, "ebb-app-tg", tg)).toBe(false);
    expect(targetGroupGrants(virginia, tg, tg.replace("0123", "ffff"))).toBe(false);
  });

  it("refuse resource names longer than AWS allows", () => {
    expect(resourceName("dev", "check-drain", "lambda")).toBe("ebb-dev-check-drain");
    expect(() => resourceName("dev", "x".repeat(60), "lambda")).toThrow(/longer than the 64 characters/);
  });
});
