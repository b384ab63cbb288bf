import { describe, expect, it } from "vitest";
import { deregisterOrder } from "../../../core/drain/order.ts";

// ELBv2 User Guide, "Deregistration delay": once the delay elapses the load balancer closes the
// connections a deregistering target still has. Ebb's shed estimate is 40 connections a second.
const policy = { timeoutSeconds: 86_400, maxRemainingConnections: 0, signal: "ssm" as const };
const RATE = 40;

describe("deregistration order of a drain that does not raise the delay", () => {
  it("sheds first when the predicted drain only just fits a short delay (321 connections in 9 s of a 10 s delay)", () => {
    expect(deregisterOrder(policy, RATE, { "i-1": 321 }, 10)).toBe("when-drained");
  });

  it("deregisters first when the drain fits in half the delay, or has nothing to shed", () => {
    expect(deregisterOrder(policy, RATE, { "i-1": 200 }, 10)).toBe("first");
    expect(deregisterOrder(policy, RATE, { "i-1": 321 }, 300)).toBe("first");
    expect(deregisterOrder(policy, RATE, {}, 10)).toBe("first");
  });

  it("goes by the busiest instance, and without a signal only the delay ends a drain", () => {
    expect(deregisterOrder(policy, RATE, { "i-1": 10, "i-2": 4000 }, 30)).toBe("when-drained");
    expect(deregisterOrder({ ...policy, signal: "none" }, RATE, { "i-1": 10 }, 300)).toBe("when-drained");
  });
});
