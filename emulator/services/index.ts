import type { ServiceRegistry } from "../protocol/router.ts";
import { autoScalingService } from "./autoscaling/index.ts";
import { cloudWatchService } from "./cloudwatch/index.ts";
import { ec2Service } from "./ec2/index.ts";
import { elasticLoadBalancingService } from "./elbv2/index.ts";
import { ssmService } from "./ssm/index.ts";
import { stepFunctionsService } from "./stepfunctions/index.ts";

/** Every emulated AWS service, by its signing name. */
export const serviceRegistry: ServiceRegistry = {
  autoscaling: autoScalingService,
  elasticloadbalancing: elasticLoadBalancingService,
  monitoring: cloudWatchService,
  ec2: ec2Service,
  ssm: ssmService,
  states: stepFunctionsService,
};
