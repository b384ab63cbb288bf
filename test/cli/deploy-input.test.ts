import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DescribeExecutionCommand, SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { DEPLOY_EXIT, runDeploy } from "../../cli/deploy/run.ts";
import { capturedOutput, deployFlags, STATE_MACHINE_ARN } from "./support.ts";

const sfn = mockClient(SFNClient);
const EXECUTION_ARN = "arn:aws:states:us-east-1:123456789012:execution:rolling-deploy:d-1";
const noEnvironment = {};

beforeEach(() => {
  sfn.reset();
  sfn.on(StartExecutionCommand).resolves({ executionArn: EXECUTION_ARN, startDate: new Date(0) });
});

afterAll(() => {
  sfn.restore();
});

describe("ebb deploy refuses bad input and starts nothing", () => {
  const refused = async (flags: Parameters<typeof deployFlags>[0]) => {
    const output = capturedOutput();
    const code = await runDeploy(deployFlags(flags), output, noEnvironment);
    expect(code).toBe(DEPLOY_EXIT.badInput);
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
    expect(output.stdout).toEqual([]);
    return output.stderr.join("\n");
  };

  it("says the JSON is not JSON, and where", async () => {
    const message = await refused({ inputJson: '{"autoScalingGroupName": "ebb-demo-asg",' });
    expect(message).toContain("the deploy input is not valid JSON");
    expect(message).toContain("--input-json");
  });

  it("names an unknown field", async () => {
    const message = await refused({ inputJson: JSON.stringify({ autoScalingGroupName: "ebb-demo-asg", batchSise: 2 }) });
    expect(message).toMatch(/batchSise/);
  });

  it("lists every mistake at once", async () => {
    const input = { autoScalingGroupName: "", minHealthyPercent: 140, drain: { timeoutSeconds: -5 } };
    const message = await refused({ inputJson: JSON.stringify(input) });
    const problems = message.split("\n").filter((line) => line.startsWith("  - "));
    expect(problems).toHaveLength(3);
    expect(message).toContain("autoScalingGroupName");
    expect(message).toContain("minHealthyPercent");
    expect(message).toContain("drain.timeoutSeconds");
  });

  it("reads --input from a file, and says so when it cannot", async () => {
    const directory = await mkdtemp(join(tmpdir(), "ebb-deploy-"));
    try {
      const file = join(directory, "input.json");
      await writeFile(file, JSON.stringify({ autoScalingGroupName: "ebb-demo-asg", mode: "sideways" }));
      expect(await refused({ input: file })).toContain("mode");
      expect(await refused({ input: join(directory, "missing.json") })).toContain("cannot read the deploy input");
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it("checks the flags: one input source, a state machine ARN, an AWS execution name", async () => {
    const both = await refused({ input: "x.json", inputJson: "{}" });
    expect(both).toContain("exactly one of --input FILE or --input-json JSON");
    expect(await refused({})).toContain("exactly one of");
    const wrong = await refused({ stateMachineArn: "rolling-deploy", name: "has space", inputJson: '{"autoScalingGroupName":"g"}' });
    expect(wrong).toContain("--state-machine-arn");
    expect(wrong).toContain("--name");
  });
});

describe("ebb deploy starts and follows the execution", () => {
  const input = { autoScalingGroupName: "ebb-demo-asg", launchTemplateVersion: "2" };

  it("sends the input as written, prints status changes and the output, exits 0 on SUCCEEDED", async () => {
    sfn.on(DescribeExecutionCommand)
      .resolvesOnce({ status: "RUNNING" })
      .resolvesOnce({ status: "RUNNING" })
      .resolves({ status: "SUCCEEDED", output: '{"outcome":{"outcome":"Succeeded"}}' });
    const output = capturedOutput();
    const code = await runDeploy(deployFlags({ inputJson: JSON.stringify(input), name: "v2", pollSeconds: 0.001 }), output, noEnvironment);
    expect(code).toBe(DEPLOY_EXIT.succeeded);
    expect(sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input).toEqual({ stateMachineArn: STATE_MACHINE_ARN, name: "v2", input: JSON.stringify(input) });
    expect(sfn.commandCalls(DescribeExecutionCommand)).toHaveLength(3);
    expect(output.stdout.filter((line) => line.startsWith("status "))).toEqual(["status RUNNING", "status SUCCEEDED"]);
    expect(output.stdout.at(-1)).toContain('"outcome": "Succeeded"');
  });

  it("exits 1 with the error and a readable cause when the deploy fails", async () => {
    sfn.on(DescribeExecutionCommand).resolves({
      status: "FAILED", error: "DeployInProgress", cause: JSON.stringify({ errorType: "DeployInProgress", errorMessage: "ebb-demo-asg is locked by d-0" }),
    });
    const output = capturedOutput();
    expect(await runDeploy(deployFlags({ inputJson: JSON.stringify(input) }), output, noEnvironment)).toBe(DEPLOY_EXIT.failed);
    expect(output.stderr).toEqual(["the deploy ended FAILED: DeployInProgress", "ebb-demo-asg is locked by d-0"]);
  });

  it("with --no-wait prints the execution ARN and returns", async () => {
    const output = capturedOutput();
    expect(await runDeploy(deployFlags({ inputJson: JSON.stringify(input), wait: false }), output, noEnvironment)).toBe(DEPLOY_EXIT.succeeded);
    expect(output.stdout).toEqual([`started ${EXECUTION_ARN}`]);
    expect(sfn.commandCalls(DescribeExecutionCommand)).toHaveLength(0);
  });
});
