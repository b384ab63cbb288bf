import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { configureRuntime, resetRuntime } from "../../core/runtime.ts";
import { handler } from "../../functions/validate-deploy-input.ts";
import { inProcessClientConfig } from "../../sim/aws-clients.ts";
import { scenarioConfigSchema } from "../../sim/config/schema.ts";
import { createAppAlarms } from "../../sim/setup.ts";
import { World } from "../../sim/world.ts";
import { MAX_INPUT_BYTES } from "../../workflows/rolling-deploy.input.ts";
import { lambdaContext } from "./support.ts";

const GROUP = "ebb-demo-asg";
const context = lambdaContext("validate-deploy-input");
let world: World;

beforeEach(async () => {
  world = new World(scenarioConfigSchema.parse({ app: { alarms: [{ alarmName: "web-5xx" }] }, fleet: { launchTemplateVersions: 2 } }));
  configureRuntime({
    clientConfig: inProcessClientConfig(world),
    clock: world.clock,
    stage: { stage: "test", autoScalingGroups: [GROUP], tables: { locks: "l-t", deploys: "d-t", idempotency: "i-t" } },
    logLevel: "SILENT",
  });
  await createAppAlarms(world);
});
afterEach(() => resetRuntime());

const validate = (input: unknown, executionName = "d-1"): Promise<unknown> => handler({ input, executionName }, context);
const failure = async (input: unknown): Promise<Error> => {
  const caught = await validate(input).catch((error: unknown) => error);
  if (!(caught instanceof Error)) throw new Error(`validation passed: ${JSON.stringify(caught)}`);
  return caught;
};

describe("validate-deploy-input (on the emulated account)", () => {
  it("lists the schema's problems and the account's together: a bad field does not hide a missing alarm or version", async () => {
    const error = await failure({ autoScalingGroupName: GROUP, batchSize: "150%", minHealthyPercent: 120, launchTemplateVersion: "7", rollbackAlarms: ["web-5xx", "web-typo"] });
    expect(error.name).toBe("InvalidDeployInput");
    expect(error.message).toMatch(/^Invalid deploy input, nothing was changed\. 4 problems: /);
    expect(error.message).toMatch(/batchSize: .*150%/);
    expect(error.message).toMatch(/minHealthyPercent: /);
    expect(error.message).toMatch(/launchTemplateVersion: version 7 of launch template ebb-app does not exist/);
    expect(error.message).toMatch(/rollbackAlarms\.1: alarm "web-typo" does not exist/);
  });

  // EC2 API reference, DescribeLaunchTemplateVersions
  // (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeLaunchTemplateVersions.html):
  // a version that does not exist is InvalidLaunchTemplateId.VersionNotFound.
  it("refuses a version that was never published, however large, without publishing it", async () => {
    const error = await failure({ autoScalingGroupName: GROUP, launchTemplateVersion: "999999999" });
    expect(error.message).toMatch(/1 problem: \(1\) launchTemplateVersion: version 999999999 of launch template ebb-app does not exist/);
    expect(world.autoscaling.launchTemplates.all()[0]?.versions).toHaveLength(2);
  });

  it("names numbers beyond safe bounds", async () => {
    const error = await failure({ autoScalingGroupName: GROUP, batchSize: 1e9, drain: { maxRemainingConnections: 1e12 }, bakeSeconds: 1e12 });
    expect(error.message).toMatch(/batchSize: must be a whole number of instances from 1 to 10000/);
    expect(error.message).toMatch(/drain\.maxRemainingConnections: /);
    expect(error.message).toMatch(/bakeSeconds: /);
  });

  // Step Functions quotas (https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html):
  // 256 KiB per state input or output; the workflow's state holds the input twice.
  it("refuses an input too large for the workflow's state with one short problem", async () => {
    const error = await failure({ autoScalingGroupName: GROUP, notes: "x".repeat(300 * 1024) });
    expect(error.message).toMatch(new RegExp(`1 problem: \\(1\\) \\(input\\): is \\d+ bytes; a deploy input is at most ${MAX_INPUT_BYTES} bytes`));
    expect(error.message.length).toBeLessThan(300);
  });

  it("finds in the first state a plan that cannot keep minHealthyPercent on this group", async () => {
    const error = await failure({ autoScalingGroupName: GROUP, launchTemplateVersion: "2", minHealthyPercent: 95 });
    expect(error.message).toMatch(/minHealthyPercent: replace mode cannot take a healthy instance out of service: 12 of 12 are healthy and minHealthyPercent 95 needs 12/);
  });

  it("refuses an Auto Scaling group the stage does not allow", async () => {
    await expect(validate({ autoScalingGroupName: "billing" })).rejects.toMatchObject({ name: "AutoScalingGroupNotAllowed" });
  });

  it("names unknown fields, nested ones included", async () => {
    const error = await failure({ autoScalingGroupName: GROUP, drain: { timeout: 3 }, colour: "blue" });
    expect(error.message).toMatch(/drain: Unrecognized key: "timeout"/);
    expect(error.message).toMatch(/Unrecognized key: "colour"/);
  });

  it("resolves defaults and the target version of a valid input", async () => {
    const resolved = await validate({ autoScalingGroupName: GROUP, launchTemplateVersion: "$Latest", drain: { timeoutSeconds: 120 }, rollbackAlarms: ["web-5xx"] }, "d-5");
    expect(resolved).toMatchObject({
      deployId: "d-5",
      targetVersion: "2",
      dryRun: false,
      input: { batchSize: "25%", mode: "replace", drain: { timeoutSeconds: 120, maxRemainingConnections: 0, signal: "ssm" } },
    });
  });
});
