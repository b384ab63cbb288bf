import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from "@aws-sdk/client-auto-scaling";
import { CloudWatchClient, GetMetricStatisticsCommand } from "@aws-sdk/client-cloudwatch";
import { DescribeInstancesCommand, EC2Client } from "@aws-sdk/client-ec2";
import { XMLParser } from "fast-xml-parser";
import { afterEach, describe, expect, it } from "vitest";
import { startEmulatorServer, type EmulatorServer } from "../../../emulator/protocol/server.ts";
import { newWorld } from "../../support/protocol.ts";

const credentials = { accessKeyId: "AKIDTEST", secretAccessKey: "secret" };
let server: EmulatorServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("the emulator's HTTP server", () => {
  it("serves EC2 query calls from a real SDK client over a socket, with the request id header", async () => {
    const world = newWorld();
    server = await startEmulatorServer(world);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const ec2 = new EC2Client({ region: "us-east-1", credentials, endpoint: server.url, maxAttempts: 1 });
    const output = await ec2.send(new DescribeInstancesCommand({ MaxResults: 5 }));
    expect(output.Reservations).toHaveLength(5);
    expect(output.NextToken).toBeDefined();
    expect(output.$metadata.requestId).toMatch(/^ebb00000-/);
  });

  it("moves virtual time on POST /_ebb/advance and describes the world on GET /_ebb/state", async () => {
    const world = newWorld();
    server = await startEmulatorServer(world);
    const advanced = await fetch(`${server.url}/_ebb/advance?seconds=30`, { method: "POST" });
    expect(advanced.status).toBe(200);
    expect(await advanced.json()).toEqual({ virtualTime: "2026-01-01T00:00:30.000Z", elapsedSeconds: 30 });
    const refused = await fetch(`${server.url}/_ebb/advance?seconds=-1`, { method: "POST" });
    expect(refused.status).toBe(400);
    expect(world.elapsedSeconds).toBe(30);

    const state = (await (await fetch(`${server.url}/_ebb/state`)).json()) as {
      virtualTime: string;
      instances: { instanceId: string; ec2State: string; connections: number }[];
      targetGroups: { targets: { instanceId: string; state: string }[] }[];
      connections: { total: number };
    };
    expect(state.virtualTime).toBe("2026-01-01T00:00:30.000Z");
    expect(state.instances).toHaveLength(12);
    expect(state.targetGroups[0]?.targets).toHaveLength(12);
    expect(state.connections.total).toBe(state.instances.reduce((sum, instance) => sum + instance.connections, 0));
  });

  it("routes Auto Scaling query calls by the credential scope and CloudWatch query calls the way the AWS CLI sends them", async () => {
    const world = newWorld();
    server = await startEmulatorServer(world);
    const autoScaling = new AutoScalingClient({ region: "us-east-1", credentials, endpoint: server.url, maxAttempts: 1 });
    const groups = await autoScaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ["ebb-demo-asg"] }));
    expect(groups.AutoScalingGroups?.[0]?.Instances).toHaveLength(12);

    const at = world.clock.now().toISOString();
    const form = new URLSearchParams({
      Action: "PutMetricData",
      Version: "2010-08-01",
      Namespace: "Ebb/Test",
      "MetricData.member.1.MetricName": "Probe",
      "MetricData.member.1.Value": "5",
      "MetricData.member.1.Timestamp": at,
      "MetricData.member.1.Unit": "Count",
    });
    const put = await fetch(server.url, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded; charset=utf-8",
        authorization: "AWS4-HMAC-SHA256 Credential=AKIDTEST/20260101/us-east-1/monitoring/aws4_request, SignedHeaders=host, Signature=00",
      },
      body: form.toString(),
    });
    const putBody = new XMLParser().parse(await put.text());
    expect(put.status).toBe(200);
    expect(put.headers.get("x-amzn-requestid")).toMatch(/^ebb00000-/);
    expect(putBody.PutMetricDataResponse.ResponseMetadata.RequestId).toBe(put.headers.get("x-amzn-requestid"));
    world.advance(world.config.cloudwatch.ingestionDelaySeconds);

    const cloudWatch = new CloudWatchClient({ region: "us-east-1", credentials, endpoint: server.url, maxAttempts: 1 });
    const stats = await cloudWatch.send(
      new GetMetricStatisticsCommand({
        Namespace: "Ebb/Test",
        MetricName: "Probe",
        StartTime: new Date(Date.parse(at) - 60_000),
        EndTime: new Date(Date.parse(at) + 60_000),
        Period: 60,
        Statistics: ["Sum"],
      }),
    );
    expect(stats.Datapoints?.map((point) => point.Sum)).toEqual([5]);
  });

  it("refuses a request it cannot attribute to a service", async () => {
    server = await startEmulatorServer(newWorld());
    const response = await fetch(server.url, { method: "POST", body: "hello" });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("<Code>UnknownService</Code>");
  });
});
