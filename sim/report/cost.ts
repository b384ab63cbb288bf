/**
 * What a run cost in AWS charges (us-east-1 list prices). Auto Scaling, Elastic Load Balancing's
 * API, EC2 Describe* and SSM Run Command on EC2 carry no charge of their own; DynamoDB (Ebb's
 * tables, on demand) is left out: its requests go to a local DynamoDB the emulator does not meter.
 */
const PRICES = {
  /** AWS Step Functions pricing, Standard workflows: $0.025 per 1,000 state transitions. */
  stateTransition: 0.025 / 1000,
  /** AWS Lambda pricing: $0.20 per 1M requests. */
  lambdaRequest: 0.2 / 1_000_000,
  /** AWS Lambda pricing, x86: $0.0000166667 per GB-second. */
  lambdaGbSecond: 0.0000166667,
  /** Amazon CloudWatch pricing: GetMetricData $0.01 per 1,000 metrics requested. */
  metricRequested: 0.01 / 1000,
  /** Amazon CloudWatch pricing: PutMetricData $0.01 per 1,000 requests. */
  putMetricDataRequest: 0.01 / 1000,
} as const;

/** Lambda's default memory; every invocation is billed the run's task latency (the model's time per task). */
const LAMBDA_MEMORY_GB = 128 / 1024;

export interface CostInputs {
  stateTransitions: number;
  lambdaInvocations: number;
  lambdaBilledMsPerInvocation: number;
  metricsRequested: number;
  apiCalls: Readonly<Record<string, number>>;
}

export interface CostReport {
  usd: number;
  stepFunctionsUsd: number;
  lambdaUsd: number;
  apiUsd: number;
  lambdaInvocations: number;
  metricsRequested: number;
}

const round = (value: number): number => Number(value.toFixed(6));

export function runCost(inputs: CostInputs): CostReport {
  const stepFunctionsUsd = inputs.stateTransitions * PRICES.stateTransition;
  const gbSeconds = inputs.lambdaInvocations * (Math.max(1, inputs.lambdaBilledMsPerInvocation) / 1000) * LAMBDA_MEMORY_GB;
  const lambdaUsd = inputs.lambdaInvocations * PRICES.lambdaRequest + gbSeconds * PRICES.lambdaGbSecond;
  const apiUsd = inputs.metricsRequested * PRICES.metricRequested + (inputs.apiCalls["monitoring:PutMetricData"] ?? 0) * PRICES.putMetricDataRequest;
  return {
    usd: round(stepFunctionsUsd + lambdaUsd + apiUsd),
    stepFunctionsUsd: round(stepFunctionsUsd),
    lambdaUsd: round(lambdaUsd),
    apiUsd: round(apiUsd),
    lambdaInvocations: inputs.lambdaInvocations,
    metricsRequested: inputs.metricsRequested,
  };
}
