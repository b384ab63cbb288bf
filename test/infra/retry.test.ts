import { join } from "node:path";
import { DescribeAutoScalingGroupsCommand } from "@aws-sdk/client-auto-scaling";
import { DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import { DescribeLaunchTemplateVersionsCommand } from "@aws-sdk/client-ec2";
import { DescribeTargetGroupsCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { ListStateMachinesCommand } from "@aws-sdk/client-sfn";
import { ListCommandInvocationsCommand } from "@aws-sdk/client-ssm";
import { describe, expect, it } from "vitest";
import type { JsonValue } from "../../infra/asl.ts";
import { HandWrittenRetryError } from "../../infra/errors.ts";
import { planStage } from "../../infra/plan.ts";
import { readProjectSources } from "../../infra/project.ts";
import { transientRetriers, withTransientRetries } from "../../infra/retry.ts";
import { loadStageSettings } from "../../infra/stage-config.ts";
import { createAwsClients } from "../../sim/aws-clients.ts";
import { scenarioConfigSchema } from "../../sim/config/schema.ts";
import { loadWorkflows } from "../../sim/local/project.ts";
import { World } from "../../sim/world.ts";

const root = join(import.meta.dirname, "..", "..");
type State = Record<string, JsonValue>;
const statesOf = (definition: unknown): [string, State][] => Object.entries((definition as { States: Record<string, State> }).States);
const lambdaTasks = (definition: unknown): [string, State][] =>
  statesOf(definition).filter(([, state]) => state["Type"] === "Task" && String(state["Resource"]).startsWith("arn:aws:lambda:"));
const retriedNames = (state: State): string[] => (state["Retry"] as { ErrorEquals: string[] }[]).flatMap((retrier) => retrier.ErrorEquals);

const aws = planStage(await loadStageSettings(root, "dev"), await readProjectSources(root));
const local = await loadWorkflows({ region: "us-east-1", account: "123456789012" });
const rendered: [string, unknown][] = [
  ...aws.stateMachines.map((machine): [string, unknown] => [`aws ${machine.name}`, machine.definition]),
  ...[...local].map(([name, definition]): [string, unknown] => [`local ${name}`, definition]),
];

// Step Functions developer guide, "Handle Lambda service exceptions"
// (https://docs.aws.amazon.com/step-functions/latest/dg/bp-lambda-serviceexception.html): retry
// Lambda.ServiceException, Lambda.AWSLambdaException, Lambda.SdkClientException; "Unhandled errors
// in Lambda are reported as Lambda.Unknown ... These include out-of-memory errors and function timeouts".
describe("transient retries added when a workflow is rendered", () => {
  it("gives every Lambda Task of every workflow, on AWS and locally, the same Retry list", () => {
    let tasks = 0;
    for (const [where, definition] of rendered) {
      for (const [name, state] of lambdaTasks(definition)) {
        tasks += 1;
        expect(state["Retry"], `${where} ${name}`).toEqual(transientRetriers());
      }
    }
    // 19 Tasks in the deploy workflows, 2 in each lifecycle hook workflow, 7 in remediate, 4 in drain; rendered for AWS and locally.
    expect(tasks).toBe(2 * (19 + 2 + 2 + 7 + 4));
  });

  it("pins the list: throttling of every service, 5xx, Lambda failures, Auto Scaling contention", () => {
    expect(transientRetriers()).toEqual([
      {
        ErrorEquals: ["Lambda.TooManyRequestsException", "Throttling", "RequestLimitExceeded", "ThrottlingException", "ProvisionedThroughputExceededException"],
        IntervalSeconds: 2, BackoffRate: 2, MaxAttempts: 6, MaxDelaySeconds: 30, JitterStrategy: "FULL",
      },
      {
        ErrorEquals: [
          "Lambda.ClientExecutionTimeoutException", "Lambda.Unknown",
          "InternalFailure", "ServiceUnavailable", "InternalServiceFault", "InternalError", "Unavailable", "InternalServerError",
        ],
        IntervalSeconds: 2, BackoffRate: 2, MaxAttempts: 6, MaxDelaySeconds: 30,
      },
      { ErrorEquals: ["Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException"], IntervalSeconds: 2, BackoffRate: 2, MaxAttempts: 9, MaxDelaySeconds: 60 },
      { ErrorEquals: ["ResourceContentionFault", "ScalingActivityInProgressFault"], IntervalSeconds: 10, BackoffRate: 2, MaxAttempts: 5, MaxDelaySeconds: 60 },
    ]);
  });

  // The same page lists Lambda.ServiceException, Lambda.AWSLambdaException and Lambda.SdkClientException as the
  // errors of Lambda itself; an outage of it lasts minutes, and a hook's action stays open for its 300 s HeartbeatTimeout.
  it("waits out Lambda being unavailable for the span a lifecycle action stays open", () => {
    const retrier = (transientRetriers() as Record<string, JsonValue>[]).find((each) => (each["ErrorEquals"] as string[]).includes("Lambda.ServiceException"));
    expect(retrier).toBeDefined();
    const { IntervalSeconds, BackoffRate, MaxAttempts, MaxDelaySeconds } = retrier as { IntervalSeconds: number; BackoffRate: number; MaxAttempts: number; MaxDelaySeconds: number };
    let waitedSeconds = 0;
    for (let attempt = 0; attempt < MaxAttempts; attempt++) waitedSeconds += Math.min(MaxDelaySeconds, IntervalSeconds * BackoffRate ** attempt);
    expect(retrier?.["JitterStrategy"]).toBeUndefined();
    expect(waitedSeconds).toBeGreaterThanOrEqual(300);
    expect(waitedSeconds).toBeLessThan(600);
  });

  it("leaves the workflow files without a hand-written copy, and refuses one", async () => {
    const { workflows } = await readProjectSources(root);
    for (const [name, definition] of workflows) {
      for (const [state, body] of statesOf(definition)) expect(body["Retry"], `${name} ${state}`).toBeUndefined();
    }
    const copy = { StartAt: "A", States: { A: { Type: "Task", Resource: "${CheckBakeFunctionArn}", Retry: [{ ErrorEquals: ["Throttling"] }], End: true } } };
    expect(() => withTransientRetries(copy, "workflows/x.asl.json")).toThrow(HandWrittenRetryError);
  });

  // What a handler's SDK call throws when the emulated service throttles or fails is the name
  // Step Functions sees, so each must be in the rendered list.
  it.each(["throttle", "server-error"] as const)("retries the error each emulated service answers a %s with", async (kind) => {
    const services = ["autoscaling", "elasticloadbalancing", "monitoring", "ec2", "ssm", "states"] as const;
    const world = new World(scenarioConfigSchema.parse({ faults: { api: services.map((service) => ({ service, kind, rate: 1 })) } }));
    const clients = createAwsClients(world, { maxAttempts: 1 });
    const calls = [
      clients.autoScaling.send(new DescribeAutoScalingGroupsCommand({})),
      clients.elbv2.send(new DescribeTargetGroupsCommand({})),
      clients.cloudWatch.send(new DescribeAlarmsCommand({})),
      clients.ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: "lt-0" })),
      clients.ssm.send(new ListCommandInvocationsCommand({})),
      clients.sfn.send(new ListStateMachinesCommand({})),
    ];
    const names = (await Promise.allSettled(calls)).map((outcome) => (outcome.status === "rejected" ? (outcome.reason as Error).name : "succeeded"));
    const [, task] = lambdaTasks(local.get("deploy-batch"))[0] ?? [];
    expect(task).toBeDefined();
    for (const name of names) expect(retriedNames(task as State), name).toContain(name);
  });
});
