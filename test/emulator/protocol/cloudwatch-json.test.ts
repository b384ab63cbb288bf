import { gzipSync } from "node:zlib";
import {
  CloudWatchClient,
  DeleteDashboardsCommand,
  DescribeAlarmsCommand,
  GetMetricStatisticsCommand,
  PutMetricDataCommand,
  type MetricDatum,
} from "@aws-sdk/client-cloudwatch";
import type { HttpRequest } from "@smithy/protocol-http";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { InProcessHttpHandler } from "../../../emulator/protocol/request-handler.ts";
import { EmulatorRouter } from "../../../emulator/protocol/router.ts";
import { AwsApiError } from "../../../emulator/protocol/errors.ts";
import type { Params, ServiceModel } from "../../../emulator/protocol/service-types.ts";
import { newWorld, rejection } from "../../support/protocol.ts";

/** A test-only CloudWatch: records PutMetricData, answers statistics, refuses what a test asks it to. */
function recordingCloudWatch(received: Params[]): ServiceModel {
  return {
    name: "monitoring",
    actions: {
      PutMetricData(params) {
        received.push(params);
        return undefined;
      },
      GetMetricStatistics(params) {
        const { StartTime } = z.object({ StartTime: z.number() }).parse(params);
        return { Label: "ActiveConnections", Datapoints: [{ Timestamp: new Date(StartTime * 1000), Sum: 42, Unit: "Count" }] };
      },
      DescribeAlarms() {
        throw new AwsApiError("InvalidParameterValue", "The value abc for parameter MaxRecords is not a valid integer");
      },
      DeleteDashboards() {
        throw new AwsApiError("ResourceNotFound", "Dashboard does not exist", { statusCode: 404 });
      },
    },
  };
}

/** Watches what the SDK puts on the wire before the in-process router answers. */
class WireSpy extends InProcessHttpHandler {
  readonly encodings: (string | undefined)[] = [];

  override handle(request: HttpRequest) {
    this.encodings.push(request.headers["content-encoding"]);
    return super.handle(request);
  }
}

function setup() {
  const world = newWorld();
  const received: Params[] = [];
  const handler = new WireSpy(new EmulatorRouter(world, { monitoring: recordingCloudWatch(received) }));
  const client = new CloudWatchClient({
    region: "us-east-1",
    credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "secret" },
    requestHandler: handler,
    maxAttempts: 1,
  });
  return { world, received, handler, client };
}

describe("CloudWatch over AWS JSON 1.0 (query-compatible)", () => {
  it("decodes JSON params with epoch-second timestamps and writes Dates back as timestamps", async () => {
    const { world, received, client } = setup();
    const at = world.clock.now();
    await client.send(
      new PutMetricDataCommand({
        Namespace: "Ebb/App",
        MetricData: [{ MetricName: "ActiveConnections", Dimensions: [{ Name: "InstanceId", Value: "i-1" }], Timestamp: at, Value: 7, Unit: "Count" }],
      }),
    );
    expect(received[0]).toEqual({
      Namespace: "Ebb/App",
      MetricData: [{ MetricName: "ActiveConnections", Dimensions: [{ Name: "InstanceId", Value: "i-1" }], Timestamp: at.getTime() / 1000, Value: 7, Unit: "Count" }],
    });
    const stats = await client.send(
      new GetMetricStatisticsCommand({ Namespace: "Ebb/App", MetricName: "ActiveConnections", StartTime: at, EndTime: at, Period: 60, Statistics: ["Sum"] }),
    );
    expect(stats.Datapoints).toEqual([{ Timestamp: at, Sum: 42, Unit: "Count" }]);
  });

  it("gives the SDK the AWS error code through x-amzn-query-error", async () => {
    const { client } = setup();
    const invalid = await rejection(client.send(new DescribeAlarmsCommand({})));
    expect(invalid.Code).toBe("InvalidParameterValue");
    expect(invalid.name).toBe("InvalidParameterValueException");
    expect(invalid.message).toBe("The value abc for parameter MaxRecords is not a valid integer");
    expect(invalid.$metadata).toMatchObject({ httpStatusCode: 400 });

    const missing = await rejection(client.send(new DeleteDashboardsCommand({ DashboardNames: ["nope"] })));
    expect(missing.name).toBe("ResourceNotFound");
    expect(missing.Code).toBe("ResourceNotFound");
    expect(missing.$metadata).toMatchObject({ httpStatusCode: 404 });
  });

  it("accepts the gzip body the SDK sends for a PutMetricData over 10 KB", async () => {
    const { received, handler, client } = setup();
    const metricData: MetricDatum[] = Array.from({ length: 200 }, (_, i) => ({
      MetricName: "ActiveConnections",
      Dimensions: [{ Name: "InstanceId", Value: `i-${String(i).padStart(17, "0")}` }],
      Value: i,
    }));
    await client.send(new PutMetricDataCommand({ Namespace: "Ebb/App", MetricData: metricData }));
    expect(handler.encodings).toEqual(["gzip"]);
    expect(received[0]).toEqual({ Namespace: "Ebb/App", MetricData: metricData });
  });

  it("answers a corrupt gzip body with an error instead of guessing", async () => {
    const world = newWorld();
    const router = new EmulatorRouter(world, { monitoring: recordingCloudWatch([]) });
    const request = (body: Uint8Array) => ({
      method: "POST",
      headers: { "x-amz-target": "GraniteServiceVersion20100801.PutMetricData", "content-type": "application/x-amz-json-1.0", "content-encoding": "gzip" },
      query: new URLSearchParams(),
      hostname: "monitoring.us-east-1.amazonaws.com",
      body,
    });
    const good = await router.route(request(gzipSync(JSON.stringify({ Namespace: "A", MetricData: [] }))));
    expect(good.statusCode).toBe(200);
    const corrupt = await router.route(request(new TextEncoder().encode("not gzip")));
    expect(corrupt.statusCode).toBe(400);
    expect(JSON.parse(corrupt.body)).toMatchObject({ message: "The request body is not valid gzip data" });
  });
});
