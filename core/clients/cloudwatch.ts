import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { provideClient } from "./registry.ts";

provideClient("cloudWatch", (configs) => new CloudWatchClient(configs.service));
