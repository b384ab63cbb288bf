import { performance } from "node:perf_hooks";
import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from "@aws-sdk/client-auto-scaling";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEPLOY_EXIT, runDeploy } from "../../cli/deploy/run.ts";
import { scenarioConfigSchema } from "../../sim/config/schema.ts";
import { serveLocalAccount, type LocalAccount } from "../../sim/local/account.ts";
import { World } from "../../sim/world.ts";
import { capturedOutput, deployFlags, STATE_MACHINE_ARN } from "./support.ts";

// The ~500 virtual seconds of the deploy take about ten real ones: slow enough that a task's
// 120 s virtual timeout stays seconds of real time on a busy 2-core machine (at 200× it was 0.6 s).
const SPEED = 50;

describe("ebb deploy against `ebb emulator` (HTTP, Ebb installed, paced time)", () => {
  let account: LocalAccount;

  beforeAll(async () => {
    const world = new World(scenarioConfigSchema.parse({ scenario: "cli-deploy" }));
    account = await serveLocalAccount(world, { port: 0, speed: SPEED, realNowMs: () => performance.now() });
  });

  afterAll(async () => {
    await account.close();
  });

  it("serves the rolling-deploy state machine at the scenario's region and account", () => {
    expect(account.stateMachineArn).toBe(STATE_MACHINE_ARN);
  });

  it("runs the real workflow to SUCCEEDED and leaves every instance on version 2", async () => {
    const output = capturedOutput();
    const input = JSON.stringify({ autoScalingGroupName: "ebb-demo-asg", launchTemplateVersion: "2" });
    // No credentials anywhere: against an endpoint the command signs with stand-ins.
    const environment = { AWS_ENDPOINT_URL: account.url };
    const code = await runDeploy(deployFlags({ stateMachineArn: account.stateMachineArn, inputJson: input, name: "cli-v2", pollSeconds: 0.2 }), output, environment);
    expect(code, output.stderr.join("\n")).toBe(DEPLOY_EXIT.succeeded);
    expect(output.stdout[0]).toBe("started arn:aws:states:us-east-1:123456789012:execution:rolling-deploy:cli-v2");
    expect(output.stdout.filter((line) => line.startsWith("status "))).toEqual(["status RUNNING", "status SUCCEEDED"]);
    expect(output.stdout.at(-1)).toContain('"outcome": "Succeeded"');

    const autoScaling = new AutoScalingClient({
      region: "us-east-1", endpoint: account.url, credentials: { accessKeyId: "x", secretAccessKey: "x" },
    });
    const { AutoScalingGroups: groups } = await autoScaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ["ebb-demo-asg"] }));
    autoScaling.destroy();
    // The last batch's old instances may still be Terminating: with the target group attached the
    // ASG waits the whole deregistration delay after Ebb has drained them (fleet.asgDrainWait).
    const all = groups?.[0]?.Instances ?? [];
    const leaving = all.filter((instance) => instance.LifecycleState === "Terminating");
    expect(leaving.every((instance) => instance.LaunchTemplate?.Version === "1")).toBe(true);
    const instances = all.filter((instance) => !leaving.includes(instance));
    expect(instances).toHaveLength(12);
    expect(instances.map((instance) => instance.LaunchTemplate?.Version)).toEqual(Array(12).fill("2"));
    expect(instances.every((instance) => instance.LifecycleState === "InService" && instance.HealthStatus === "Healthy")).toBe(true);
  });
});
