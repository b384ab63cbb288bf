import type { ServiceModel } from "../../protocol/service-types.ts";
import { describeAutoScalingGroups, describeAutoScalingInstances, resumeProcesses, setDesiredCapacity, suspendProcesses, updateAutoScalingGroup } from "./groups.ts";
import { enterStandby, exitStandby, setInstanceHealth, setInstanceProtection, terminateInstanceInAutoScalingGroup } from "./instances.ts";
import { completeLifecycleAction, deleteLifecycleHook, describeLifecycleHooks, putLifecycleHook, recordLifecycleActionHeartbeat } from "./lifecycle.ts";
import { describePolicies, putScalingPolicy } from "./policies.ts";
import { cancelInstanceRefresh, describeInstanceRefreshes, rollbackInstanceRefresh, startInstanceRefresh } from "./refresh.ts";

/** EC2 Auto Scaling (awsQuery, 2011-01-01) over the fleet physics. */
export const autoScalingService: ServiceModel = {
  name: "autoscaling",
  actions: {
    DescribeAutoScalingGroups: describeAutoScalingGroups,
    DescribeAutoScalingInstances: describeAutoScalingInstances,
    DescribeLifecycleHooks: describeLifecycleHooks,
    PutLifecycleHook: putLifecycleHook,
    DeleteLifecycleHook: deleteLifecycleHook,
    CompleteLifecycleAction: completeLifecycleAction,
    RecordLifecycleActionHeartbeat: recordLifecycleActionHeartbeat,
    SetDesiredCapacity: setDesiredCapacity,
    UpdateAutoScalingGroup: updateAutoScalingGroup,
    TerminateInstanceInAutoScalingGroup: terminateInstanceInAutoScalingGroup,
    SetInstanceHealth: setInstanceHealth,
    SetInstanceProtection: setInstanceProtection,
    EnterStandby: enterStandby,
    ExitStandby: exitStandby,
    SuspendProcesses: suspendProcesses,
    ResumeProcesses: resumeProcesses,
    StartInstanceRefresh: startInstanceRefresh,
    DescribeInstanceRefreshes: describeInstanceRefreshes,
    CancelInstanceRefresh: cancelInstanceRefresh,
    RollbackInstanceRefresh: rollbackInstanceRefresh,
    PutScalingPolicy: putScalingPolicy,
    DescribePolicies: describePolicies,
  },
};
