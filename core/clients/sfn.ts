import { SFNClient } from "@aws-sdk/client-sfn";
import { provideClient } from "./registry.ts";

provideClient("sfn", (configs) => new SFNClient(configs.service));
