import type { ServiceRegistry } from "./protocol/router.ts";
import { autoScalingService } from "./autoscaling/actions/index.ts";
import { cloudWatchService } from "./cloudwatch/actions/index.ts";
import { ec2Service } from "./ec2/actions/index.ts";
import { eventsService } from "./events/actions/index.ts";
import { elasticLoadBalancingService } from "./elbv2/actions/index.ts";
import { ssmService } from "./ssm/actions/index.ts";
import { stepFunctionsService } from "./stepfunctions/actions/index.ts";

/** Every emulated AWS service, by its signing name. */
export const serviceRegistry: ServiceRegistry = {
  autoscaling: autoScalingService,
  elasticloadbalancing: elasticLoadBalancingService,
  monitoring: cloudWatchService,
  ec2: ec2Service,
  ssm: ssmService,
  states: stepFunctionsService,
  events: eventsService,
};
