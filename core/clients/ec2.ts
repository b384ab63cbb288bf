import { EC2Client } from "@aws-sdk/client-ec2";
import { provideClient } from "./registry.ts";

provideClient("ec2", (configs) => new EC2Client(configs.service));
