import type { RetryErrorInfo, RetryStrategyV2, RetryToken } from "@smithy/types";
import { serviceCatalog } from "../emulator/protocol/catalog.ts";
import { inProcessClientConfig, type InProcessClientConfig } from "./aws-clients.ts";
import type { World } from "./world.ts";

/** Every error code the scenario's API faults can answer with, on any service. */
const INJECTABLE_CODES: ReadonlySet<string> = new Set(
  Object.values(serviceCatalog).flatMap((service) => [service.throttling.code, service.serverError.code, ...Object.values(service.transientErrors ?? {}).map((spec) => spec.code)]),
);
/** Enough that a 30% fault rate on top of throttling never gets through all of them in practice. */
const OPERATOR_ATTEMPTS = 25;

const token = (count: number): RetryToken => ({ getRetryCount: () => count, getRetryDelay: () => 0 });

/**
 * The operator's own setup around a run (installing Ebb, creating the team's alarms, scaling the
 * group) meets the scenario's API faults too, and does what an operator does with a transient
 * error: runs the command again. Only transient errors are retried, at once (no wall-clock
 * backoff: the emulator runs on virtual time); a real error still stops the setup.
 */
const operatorRetry: RetryStrategyV2 = {
  acquireInitialRetryToken: () => Promise.resolve(token(0)),
  refreshRetryTokenForRetry(previous: RetryToken, info: RetryErrorInfo): Promise<RetryToken> {
    const name = info.error?.name ?? "";
    // The SDK names a modeled error after its code, some with a Fault or Exception suffix.
    const transient = [name, name.replace(/(Fault|Exception)$/, "")].some((code) => INJECTABLE_CODES.has(code));
    const next = previous.getRetryCount() + 1;
    if (!transient || next >= OPERATOR_ATTEMPTS) return Promise.reject(info.error ?? new Error("not retryable"));
    return Promise.resolve(token(next));
  },
  recordSuccess: () => undefined,
};

/** A client config for the operator's setup calls: the world's in-process handler, retrying transient errors. */
export function operatorClientConfig(world: World): InProcessClientConfig {
  return inProcessClientConfig(world, { maxAttempts: OPERATOR_ATTEMPTS, retryStrategy: operatorRetry });
}
