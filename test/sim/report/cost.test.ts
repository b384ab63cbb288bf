import { describe, expect, it } from "vitest";
import { runCost } from "../../../sim/report/cost.ts";

// AWS Step Functions pricing (Standard: $0.025 per 1,000 state transitions), AWS Lambda pricing
// ($0.20 per 1M requests, $0.0000166667 per GB-second), Amazon CloudWatch pricing (GetMetricData
// $0.01 per 1,000 metrics requested, PutMetricData $0.01 per 1,000 requests).
describe("a run's cost", () => {
  it("adds Step Functions transitions, Lambda requests and GB-seconds, and CloudWatch's billed calls", () => {
    const cost = runCost({
      stateTransitions: 4000,
      lambdaInvocations: 1_000_000,
      lambdaBilledMsPerInvocation: 100,
      metricsRequested: 2000,
      apiCalls: { "monitoring:PutMetricData": 1000, "autoscaling:DescribeAutoScalingGroups": 10_000 },
    });
    expect(cost.stepFunctionsUsd).toBeCloseTo(0.1, 6);
    // 1M requests: $0.20; 1M × 0.1 s × 0.125 GB = 12,500 GB-s: $0.208334.
    expect(cost.lambdaUsd).toBeCloseTo(0.2 + 12_500 * 0.0000166667, 5);
    expect(cost.apiUsd).toBeCloseTo(0.02 + 0.01, 6);
    expect(cost.usd).toBeCloseTo(cost.stepFunctionsUsd + cost.lambdaUsd + cost.apiUsd, 5);
  });

  it("charges nothing for a run without a control plane that only calls free APIs", () => {
    expect(runCost({ stateTransitions: 0, lambdaInvocations: 0, lambdaBilledMsPerInvocation: 100, metricsRequested: 0, apiCalls: { "autoscaling:DescribeInstanceRefreshes": 80 } }).usd).toBe(0);
  });
});
