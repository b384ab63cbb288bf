import type { ServiceModel } from "../../protocol/service-types.ts";
import { deleteAlarms, describeAlarmHistory, describeAlarms, putMetricAlarm, setAlarmState } from "./alarm-actions.ts";
import { getMetricData, getMetricStatistics, listMetrics, putMetricData } from "./metric-actions.ts";

/** CloudWatch (signing name `monitoring`): metrics and metric alarms. */
export const cloudWatchService: ServiceModel = {
  name: "monitoring",
  actions: {
    PutMetricData: putMetricData,
    GetMetricData: getMetricData,
    GetMetricStatistics: getMetricStatistics,
    ListMetrics: listMetrics,
    PutMetricAlarm: putMetricAlarm,
    DescribeAlarms: describeAlarms,
    DescribeAlarmHistory: describeAlarmHistory,
    SetAlarmState: setAlarmState,
    DeleteAlarms: deleteAlarms,
  },
};
