import type { ServiceModel } from "../../protocol/service-types.ts";
import { describeListeners, describeLoadBalancerAttributes, describeLoadBalancers, describeTargetGroupAttributes, describeTargetGroups } from "./describe.ts";
import { modifyTargetGroupAttributes } from "./attributes.ts";
import { createListener } from "./listeners.ts";
import { deregisterTargets, describeTargetHealth, registerTargets } from "./targets.ts";

/** Elastic Load Balancing v2 (awsQuery, 2015-12-01) over the fleet physics. */
export const elasticLoadBalancingService: ServiceModel = {
  name: "elasticloadbalancing",
  actions: {
    DescribeLoadBalancers: describeLoadBalancers,
    DescribeLoadBalancerAttributes: describeLoadBalancerAttributes,
    DescribeListeners: describeListeners,
    CreateListener: createListener,
    DescribeTargetGroups: describeTargetGroups,
    DescribeTargetGroupAttributes: describeTargetGroupAttributes,
    ModifyTargetGroupAttributes: modifyTargetGroupAttributes,
    DescribeTargetHealth: describeTargetHealth,
    RegisterTargets: registerTargets,
    DeregisterTargets: deregisterTargets,
  },
};
