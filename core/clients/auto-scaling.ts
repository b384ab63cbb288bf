import { AutoScalingClient } from "@aws-sdk/client-auto-scaling";
import { provideClient } from "./registry.ts";

provideClient("autoScaling", (configs) => new AutoScalingClient(configs.service));
