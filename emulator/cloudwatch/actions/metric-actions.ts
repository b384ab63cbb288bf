import { validateMetricData } from "../metric-validation.ts";
import type { ActionHandler } from "../../protocol/service-types.ts";
import { parseParams } from "./parse.ts";
import { getMetricDataSchema, getMetricStatisticsSchema, listMetricsSchema, putMetricDataSchema } from "./schemas.ts";

const THREE_HOURS_MS = 3 * 3600_000;

export const putMetricData: ActionHandler = (params, { world }) => {
  const input = parseParams(putMetricDataSchema, params);
  validateMetricData(input.Namespace, input.MetricData, world.clock.nowMs);
  world.cloudwatch.putMetricData(input.Namespace, input.MetricData);
  return {};
};

export const getMetricData: ActionHandler = (params, { world }) => {
  const input = parseParams(getMetricDataSchema, params);
  world.stats.metricsRequested += input.MetricDataQueries.length;
  return world.cloudwatch.getMetricData(input);
};

export const getMetricStatistics: ActionHandler = (params, { world }) => {
  const { Namespace, MetricName, Dimensions, ...rest } = parseParams(getMetricStatisticsSchema, params);
  return world.cloudwatch.getMetricStatistics({ Metric: { Namespace, MetricName, Dimensions }, ...rest });
};

export const listMetrics: ActionHandler = (params, { world }) => {
  const input = parseParams(listMetricsSchema, params);
  return world.cloudwatch.listMetrics({
    namespace: input.Namespace,
    metricName: input.MetricName,
    dimensions: input.Dimensions,
    activeSinceMs: input.RecentlyActive === "PT3H" ? world.clock.nowMs - THREE_HOURS_MS : undefined,
    nextToken: input.NextToken,
  });
};
