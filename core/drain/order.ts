import type { DrainSettings } from "../deploy-settings.ts";
import { drainSeconds } from "../timing.ts";

/**
 * Whether a drain leaves the load balancer before the app sheds or after. A drain the
 * deregistration delay cannot cover would be ended by the load balancer cutting what is left,
 * so it sheds first, still registered, and is deregistered once drained. Deregistering first is
 * kept for drains predicted to take at most half the delay: the prediction rests on a gauge up to
 * a period old and an estimated rate, and the shedding only begins once the signal has reached
 * the app, after the deregistration; a drain predicted just inside the delay ends cut. Every trigger that does
 * not raise the delay for itself (the terminate hook, remediation, the reconciler's stuck
 * terminations) takes its order from here.
 */
export function deregisterOrder(
  policy: DrainSettings,
  shedRatePerSecond: number,
  connectionsAtStart: Readonly<Record<string, number>>,
  deregistrationDelaySeconds: number,
): "first" | "when-drained" {
  const busiest = Math.max(0, ...Object.values(connectionsAtStart));
  const predicted = drainSeconds({
    connections: busiest,
    maxRemainingConnections: policy.maxRemainingConnections,
    shedRatePerSecond: policy.signal === "ssm" ? shedRatePerSecond : 0,
    deregistrationDelaySeconds,
    timeoutSeconds: policy.timeoutSeconds,
  });
  return predicted * 2 <= deregistrationDelaySeconds && predicted < deregistrationDelaySeconds ? "first" : "when-drained";
}
