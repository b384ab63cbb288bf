import { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { provideClient } from "./registry.ts";

provideClient("elbv2", (configs) => new ElasticLoadBalancingV2Client(configs.service));
