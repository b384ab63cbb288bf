import { SSMClient } from "@aws-sdk/client-ssm";
import { provideClient } from "./registry.ts";

provideClient("ssm", (configs) => new SSMClient(configs.service));
