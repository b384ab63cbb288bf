import type { DrainSettings } from "../deploy-settings.ts";
import type { Runtime } from "../runtime.ts";
import { drainSeconds } from "../timing.ts";

/**
 * Which comes first for one instance's drain: out of the load balancer, or the app's shedding. A
 * drain the deregistration delay cannot cover would be ended by the load balancer cutting what is
 * left, so it sheds first (still registered, refusing new connections) and is deregistered once drained.
 */
export function deregisterOrder(rt: Runtime, policy: DrainSettings, connections: number, deregistrationDelaySeconds: number): "first" | "when-drained" {
  const predicted = drainSeconds({
    connections,
    maxRemainingConnections: policy.maxRemainingConnections,
    shedRatePerSecond: policy.signal === "ssm" ? rt.stage.estimates.shedRatePerSecond : 0,
    deregistrationDelaySeconds,
    timeoutSeconds: policy.timeoutSeconds,
  });
  return predicted < deregistrationDelaySeconds ? "first" : "when-drained";
}
