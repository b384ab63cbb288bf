import { AutoScalingClient, DescribeAutoScalingGroupsCommand, TerminateInstanceInAutoScalingGroupCommand } from "@aws-sdk/client-auto-scaling";
import { CloudWatchClient, DescribeAlarmHistoryCommand, DescribeAlarmsCommand, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { DeregisterTargetsCommand, DescribeTargetHealthCommand, ElasticLoadBalancingV2Client, RegisterTargetsCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { DescribeExecutionCommand, SFNClient } from "@aws-sdk/client-sfn";
import { DescribeInstanceInformationCommand, SendCommandCommand, SSMClient } from "@aws-sdk/client-ssm";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createBatch, createDeploy, getBatch, getDeploy, updateDeploy } from "../../core/deploy-store.ts";
import { acquireLock, readLock, releaseLock } from "../../core/lock.ts";
import { configureRuntime, resetRuntime, type Runtime } from "../../core/runtime.ts";
import { DEPLOY_HASH_KEY, DEPLOY_RANGE_KEY } from "../../core/tables.ts";
import type { DeployInput, DeployPlan, InstanceView } from "../../core/types.ts";
import { handler as checkBatchDrain } from "../../functions/check-batch-drain.ts";
import { handler as startBatchDrain } from "../../functions/start-batch-drain.ts";
import { handler as settleStoppedDeploy } from "../../functions/settle-stopped-deploy.ts";
import { handler as terminateDrained } from "../../functions/terminate-drained-instances.ts";
import { startTestDynamo, testTables, type TestDynamo } from "../core/support/dynamo.ts";
import { lambdaContext } from "./support.ts";

const autoScaling = mockClient(AutoScalingClient);
const cloudWatch = mockClient(CloudWatchClient);
const elbv2 = mockClient(ElasticLoadBalancingV2Client);
const ssm = mockClient(SSMClient);
const sfn = mockClient(SFNClient);
const tg = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/app/0123456789abcdef";
let nowMs = Date.parse("2026-01-01T00:10:00Z");
let dynamo: TestDynamo;
let rt: Runtime;
let sequence = 0;

beforeAll(async () => {
  dynamo = await startTestDynamo();
});
afterAll(async () => {
  resetRuntime();
  await dynamo.db.stop();
});
beforeEach(() => {
  for (const mock of [autoScaling, cloudWatch, elbv2, ssm, sfn]) mock.reset();
  sfn.on(DescribeExecutionCommand).resolves({ status: "ABORTED" });
  rt = configureRuntime({
    clientConfig: { region: "us-east-1", credentials: { accessKeyId: "AKIATEST", secretAccessKey: "test" } },
    dynamoDbClientConfig: dynamo.clientConfig,
    clock: { now: () => new Date(nowMs) },
    stage: { stage: "test", autoScalingGroups: ["web"], tables: testTables },
    logLevel: "SILENT",
  });
});

const instance = (id: string, lifecycleState = "InService"): InstanceView => ({
  instanceId: id,
  availabilityZone: "us-east-1a",
  lifecycleState,
  healthStatus: "Healthy",
  launchTemplateVersion: "1",
  protectedFromScaleIn: false,
});

const groupWith = (states: Record<string, string>) => ({
  AutoScalingGroups: [
    {
      AutoScalingGroupName: "web",
      MinSize: 0,
      MaxSize: 10,
      DesiredCapacity: 4,
      DefaultCooldown: 300,
      AvailabilityZones: ["us-east-1a"],
      HealthCheckType: "ELB",
      CreatedTime: new Date(0),
      TargetGroupARNs: [tg],
      LaunchTemplate: { LaunchTemplateId: "lt-0123456789abcdef0", LaunchTemplateName: "app", Version: "2" },
      Instances: Object.entries(states).map(([id, state]) => ({
        InstanceId: id,
        AvailabilityZone: "us-east-1a",
        LifecycleState: state as "InService",
        HealthStatus: "Healthy",
        ProtectedFromScaleIn: false,
        LaunchTemplate: { LaunchTemplateId: "lt-0123456789abcdef0", Version: "1" },
      })),
    },
  ],
});

/** A deploy holding the group's lock (as every step after AcquireDeployLock does) whose batch 0 drains i-a and i-b, with rollback alarm `web-5xx`. */
async function seedDeploy(extra: { drainedAt?: string } = {}): Promise<{ deployId: string; phase: "deploy"; batchIndex: number }> {
  await releaseLock(rt, "web", `deploy-${sequence}`);
  sequence += 1;
  const deployId = `deploy-${sequence}`;
  await acquireLock(rt, "web", deployId, "deploy");
  const input = { autoScalingGroupName: "web", ...rt.stage.deployDefaults, rollbackAlarms: ["web-5xx"] } as DeployInput;
  const at = new Date(nowMs).toISOString();
  await createDeploy(rt, {
    deployId,
    autoScalingGroupName: "web",
    status: "InProgress",
    input,
    targetVersion: "2",
    startedAt: at,
    updatedAt: at,
    snapshot: {
      takenAt: at,
      desiredCapacity: 4,
      minSize: 0,
      maxSize: 10,
      launchTemplate: { launchTemplateId: "lt-0123456789abcdef0", launchTemplateName: "app", version: "1" },
      targetGroups: [{ arn: tg, healthCheckIntervalSeconds: 10, healthyThreshold: 3, deregistrationDelaySeconds: 300 }],
      instances: ["i-a", "i-b", "i-c", "i-d"].map((id) => instance(id)),
    },
  });
  await createBatch(rt, {
    deployId,
    phase: "deploy",
    batchIndex: 0,
    mode: "replace",
    targetVersion: "2",
    instanceIds: ["i-a", "i-b"],
    knownInstanceIds: ["i-a", "i-b", "i-c", "i-d"],
    expectedNewInstances: 2,
    startedAt: at,
    connectionsAtStart: { "i-a": 400, "i-b": 400 },
    ...extra,
  });
  return { deployId, phase: "deploy", batchIndex: 0 };
}

const quietAlarms = (): void => {
  cloudWatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [{ AlarmName: "web-5xx", StateValue: "OK" }] });
  cloudWatch.on(DescribeAlarmHistoryCommand).resolves({ AlarmHistoryItems: [] });
};

describe("batch handlers run twice safely", () => {
  it("start-batch-drain deregisters and signals; a second run keeps the first deregistration time", async () => {
    quietAlarms();
    const ref = await seedDeploy();
    ssm.on(SendCommandCommand).resolves({ Command: { CommandId: "command-1" } });
    ssm.on(DescribeInstanceInformationCommand).resolves({ InstanceInformationList: ["i-a", "i-b"].map((id) => ({ InstanceId: id, PingStatus: "Online" })) });
    elbv2.on(DescribeTargetHealthCommand).resolvesOnce({
      TargetHealthDescriptions: ["i-a", "i-b"].map((id) => ({ Target: { Id: id, Port: 8080 }, TargetHealth: { State: "healthy" } })),
    }).resolves({
      TargetHealthDescriptions: ["i-a", "i-b"].map((id) => ({ Target: { Id: id, Port: 8080 }, TargetHealth: { State: "draining" } })),
    });
    const first = await startBatchDrain(ref, lambdaContext("start-batch-drain"));
    // 400 connections at the estimated 40/s: 10 s, +1 s for the load balancer to notice.
    expect(first).toMatchObject({ done: false, waitSeconds: 11 });
    expect(elbv2).toHaveReceivedCommandWith(DeregisterTargetsCommand, { TargetGroupArn: tg, Targets: [{ Id: "i-a", Port: 8080 }, { Id: "i-b", Port: 8080 }] });
    // The signal waits for the app to hold no connection (up to the drain's deadline), and SSM lets it run a minute past that.
    const [sent] = ssm.commandCalls(SendCommandCommand);
    const wait = Number(/--wait (\d+)$/.exec(sent?.args[0].input.Parameters?.["commands"]?.[0] ?? "")?.[1]);
    expect(wait).toBeGreaterThan(0);
    expect(ssm).toHaveReceivedCommandWith(SendCommandCommand, { DocumentName: "AWS-RunShellScript", InstanceIds: ["i-a", "i-b"], Parameters: { commands: [`ebb-drain --wait ${wait}`], executionTimeout: [String(wait + 60)] } });
    // Every agent took it: nobody had to be looked up first.
    expect(ssm).toHaveReceivedCommandTimes(DescribeInstanceInformationCommand, 0);
    const deregisteredAt = (await getBatch(rt, ref.deployId, "deploy", 0))?.deregisteredAt;

    nowMs += 5000;
    await startBatchDrain(ref, lambdaContext("start-batch-drain"));
    expect(elbv2).toHaveReceivedCommandTimes(DeregisterTargetsCommand, 1);
    expect((await getBatch(rt, ref.deployId, "deploy", 0))?.deregisteredAt).toBe(deregisteredAt);
  });

  it("terminate-drained-instances terminates each instance once, keeping the desired capacity", async () => {
    quietAlarms();
    const ref = await seedDeploy({ drainedAt: new Date(nowMs).toISOString() });
    autoScaling.on(DescribeAutoScalingGroupsCommand)
      .resolvesOnce(groupWith({ "i-a": "InService", "i-b": "InService", "i-c": "InService", "i-d": "InService" }))
      .resolves(groupWith({ "i-a": "Terminating", "i-c": "InService", "i-d": "InService" }));
    await terminateDrained(ref, lambdaContext("terminate-drained-instances"));
    await terminateDrained(ref, lambdaContext("terminate-drained-instances"));
    expect(autoScaling).toHaveReceivedCommandTimes(TerminateInstanceInAutoScalingGroupCommand, 2);
    expect(autoScaling).toHaveReceivedCommandWith(TerminateInstanceInAutoScalingGroupCommand, { InstanceId: "i-a", ShouldDecrementDesiredCapacity: false });
  });

  it("refuses to terminate a batch that was never drained", async () => {
    quietAlarms();
    const ref = await seedDeploy();
    autoScaling.on(DescribeAutoScalingGroupsCommand).resolves(groupWith({ "i-a": "InService", "i-b": "InService" }));
    await expect(terminateDrained(ref, lambdaContext("terminate-drained-instances"))).rejects.toMatchObject({ name: "DrainNotFinished" });
    expect(autoScaling).not.toHaveReceivedCommand(TerminateInstanceInAutoScalingGroupCommand);
  });

  it("stops with RollbackAlarmFired when a rollback alarm fired since the deploy began, even if it is OK again", async () => {
    const ref = await seedDeploy({ drainedAt: undefined });
    cloudWatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [{ AlarmName: "web-5xx", StateValue: "OK" }] });
    cloudWatch.on(DescribeAlarmHistoryCommand).resolves({
      AlarmHistoryItems: [
        {
          AlarmName: "web-5xx",
          HistoryItemType: "StateUpdate",
          Timestamp: new Date(nowMs),
          HistorySummary: "Alarm updated from OK to ALARM",
          HistoryData: JSON.stringify({ oldState: { stateValue: "OK" }, newState: { stateValue: "ALARM" } }),
        },
      ],
    });
    await expect(checkBatchDrain(ref, lambdaContext("check-batch-drain"))).rejects.toMatchObject({ name: "RollbackAlarmFired" });
    expect(cloudWatch).not.toHaveReceivedCommand(GetMetricDataCommand);
    expect(elbv2).not.toHaveReceivedAnyCommand();
  });
});

describe("settle-stopped-deploy", () => {
  it("refuses to settle an execution DescribeExecution still reports RUNNING (the event alone is not trusted), changing nothing", async () => {
    const ref = await seedDeploy();
    await acquireLock(rt, "web", ref.deployId, "deploy");
    sfn.on(DescribeExecutionCommand).resolves({ status: "RUNNING" });
    const event = {
      source: "aws.states",
      "detail-type": "Step Functions Execution Status Change",
      detail: { name: ref.deployId, status: "ABORTED", executionArn: `arn:aws:states:us-east-1:123456789012:execution:rolling-deploy:${ref.deployId}` },
    };
    await expect(settleStoppedDeploy(event, lambdaContext("settle-stopped-deploy"))).rejects.toMatchObject({ name: "DeployStateError" });
    expect(sfn).toHaveReceivedCommandWith(DescribeExecutionCommand, { executionArn: event.detail.executionArn });
    expect(autoScaling).not.toHaveReceivedAnyCommand();
    expect(elbv2).not.toHaveReceivedAnyCommand();
    expect(await readLock(rt, "web")).toMatchObject({ owner: ref.deployId });
    await releaseLock(rt, "web", ref.deployId);
  });

  it("after StopExecution, registers stranded instances back, records the abort and frees the lock (once)", async () => {
    const ref = await seedDeploy();
    await acquireLock(rt, "web", ref.deployId, "deploy");
    autoScaling.on(DescribeAutoScalingGroupsCommand).resolves(groupWith({ "i-a": "InService", "i-b": "InService", "i-c": "InService" }));
    elbv2.on(DescribeTargetHealthCommand).resolves({
      TargetHealthDescriptions: [
        { Target: { Id: "i-a" }, TargetHealth: { State: "unused", Reason: "Target.NotRegistered" } },
        { Target: { Id: "i-b", Port: 8080 }, TargetHealth: { State: "healthy" } },
        { Target: { Id: "i-c", Port: 8080 }, TargetHealth: { State: "healthy" } },
      ],
    });
    const event = {
      source: "aws.states",
      "detail-type": "Step Functions Execution Status Change",
      detail: { name: ref.deployId, status: "ABORTED", executionArn: `arn:aws:states:us-east-1:123456789012:execution:rolling-deploy:${ref.deployId}` },
    };
    await expect(settleStoppedDeploy(event, lambdaContext("settle-stopped-deploy"))).resolves.toMatchObject({ outcome: "Failed", error: "DeployAborted" });
    expect(elbv2).toHaveReceivedCommandWith(RegisterTargetsCommand, { TargetGroupArn: tg, Targets: [{ Id: "i-a" }] });
    expect(await readLock(rt, "web")).toBeUndefined();
    expect((await getDeploy(rt, ref.deployId)).status).toBe("Failed");

    await settleStoppedDeploy(event, lambdaContext("settle-stopped-deploy"));
    expect(elbv2).toHaveReceivedCommandTimes(RegisterTargetsCommand, 1);
  });

  it("tells the drained instance to accept connections again, and registers it back even if SSM refuses", async () => {
    const ref = await seedDeploy();
    await updateDeploy(rt, ref.deployId, { plan: planDraining(["i-a", "i-b"]) });
    autoScaling.on(DescribeAutoScalingGroupsCommand).resolves(groupWith({ "i-a": "InService", "i-b": "InService", "i-c": "InService" }));
    elbv2.on(DescribeTargetHealthCommand).resolves({
      TargetHealthDescriptions: [
        { Target: { Id: "i-a" }, TargetHealth: { State: "unused", Reason: "Target.NotRegistered" } },
        ...["i-b", "i-c"].map((id) => ({ Target: { Id: id, Port: 8080 }, TargetHealth: { State: "healthy" as const } })),
      ],
    });
    ssm.on(SendCommandCommand).rejects(Object.assign(new Error("agent offline"), { name: "InvalidInstanceId" }));
    const event = {
      source: "aws.states",
      "detail-type": "Step Functions Execution Status Change",
      detail: { name: ref.deployId, status: "ABORTED", executionArn: `arn:aws:states:us-east-1:123456789012:execution:rolling-deploy:${ref.deployId}` },
    };
    await expect(settleStoppedDeploy(event, lambdaContext("settle-stopped-deploy"))).resolves.toMatchObject({ outcome: "Failed" });
    // Only the stranded instance, not i-b (planned but still serving) nor i-c (never planned).
    expect(ssm).toHaveReceivedCommandWith(SendCommandCommand, { InstanceIds: ["i-a"], Parameters: { commands: ["ebb-undrain"] } });
    expect(elbv2).toHaveReceivedCommandWith(RegisterTargetsCommand, { TargetGroupArn: tg, Targets: [{ Id: "i-a" }] });
    expect((await getDeploy(rt, ref.deployId)).status).toBe("Failed");
    const finished = await rt.clients.dynamo.send(new GetCommand({
      TableName: rt.stage.tables.deploys,
      Key: { [DEPLOY_HASH_KEY]: ref.deployId, [DEPLOY_RANGE_KEY]: "audit#deploy#finished-Failed" },
    }));
    expect(finished.Item?.["detail"]).toMatchObject({ stranded: ["i-a"], undrainCommandIds: [], undrainError: "InvalidInstanceId: agent offline" });
  });
});

/** A one-batch deploy plan draining these instances. */
const planDraining = (instanceIds: string[]): DeployPlan => ({
  mode: "replace",
  targetVersion: "2",
  requestedBatchSize: instanceIds.length,
  maxHealthyOutOfService: instanceIds.length,
  batches: [{ index: 0, instanceIds, availabilityZones: { "us-east-1a": instanceIds.length }, predictedSeconds: 60 }],
  skipped: [],
  notes: [],
  predictedSeconds: 60,
});
