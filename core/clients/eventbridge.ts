import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { provideClient } from "./registry.ts";

provideClient("eventBridge", (configs) => new EventBridgeClient(configs.service));
