import { XMLParser } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { serviceCatalog } from "../../../emulator/protocol/catalog.ts";
import { ec2Codec, queryCodec } from "../../../emulator/protocol/codecs.ts";
import { AwsApiError } from "../../../emulator/protocol/errors.ts";

const parser = new XMLParser({ ignoreAttributes: false, parseTagValue: false });
const hostile = `<script>alert("x")</script> & 'quotes' ]]>`;

describe("XML responses", () => {
  const codec = queryCodec(serviceCatalog.autoscaling);

  it("wraps the result, lists as <member>, Dates as ISO-8601, booleans as true/false, and escapes text", () => {
    const response = codec.success(
      "DescribeAutoScalingGroups",
      {
        AutoScalingGroups: [
          { AutoScalingGroupName: hostile, CreatedTime: new Date(Date.UTC(2026, 0, 1)), NewInstancesProtectedFromScaleIn: false, Instances: [] },
        ],
        NextToken: undefined,
      },
      "req-1",
    );
    expect(response.statusCode).toBe(200);
    expect(response.headers["x-amzn-RequestId"]).toBe("req-1");
    expect(response.body).not.toContain("<script>");
    const parsed = parser.parse(response.body);
    const root = parsed.DescribeAutoScalingGroupsResponse;
    expect(root["@_xmlns"]).toBe("http://autoscaling.amazonaws.com/doc/2011-01-01/");
    expect(root.ResponseMetadata.RequestId).toBe("req-1");
    const group = root.DescribeAutoScalingGroupsResult.AutoScalingGroups.member;
    expect(group.AutoScalingGroupName).toBe(hostile);
    expect(group.CreatedTime).toBe("2026-01-01T00:00:00.000Z");
    expect(group.NewInstancesProtectedFromScaleIn).toBe("false");
    expect(group.Instances).toBe("");
    expect(root.DescribeAutoScalingGroupsResult.NextToken).toBeUndefined();
  });

  it("writes query errors as ErrorResponse with type, code, escaped message and status", () => {
    const response = codec.failure(new AwsApiError("ValidationError", hostile), "req-2");
    expect(response.statusCode).toBe(400);
    const error = parser.parse(response.body).ErrorResponse;
    expect(error.Error).toEqual({ Type: "Sender", Code: "ValidationError", Message: hostile });
    expect(error.RequestId).toBe("req-2");
  });

  it("writes EC2 responses with requestId and <item> lists, and EC2 errors in their own envelope", () => {
    const ec2 = ec2Codec(serviceCatalog.ec2);
    const ok = parser.parse(ec2.success("DescribeInstances", { reservationSet: [{ reservationId: "r-1" }, { reservationId: "r-2" }] }, "req-3").body);
    expect(ok.DescribeInstancesResponse.requestId).toBe("req-3");
    expect(ok.DescribeInstancesResponse.reservationSet.item).toEqual([{ reservationId: "r-1" }, { reservationId: "r-2" }]);
    const failed = ec2.failure(new AwsApiError("RequestLimitExceeded", "Request limit exceeded.", { statusCode: 503 }), "req-4");
    expect(failed.statusCode).toBe(503);
    expect(parser.parse(failed.body).Response).toEqual({
      Errors: { Error: { Code: "RequestLimitExceeded", Message: "Request limit exceeded." } },
      RequestID: "req-4",
    });
  });
});
