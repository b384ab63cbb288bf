import type { JsonValue } from "./asl.ts";
import { HandWrittenRetryError } from "./errors.ts";

/**
 * The transient errors a Lambda Task of Ebb's workflows may report, one list per service, and the
 * Retry policy every Task gets when a workflow is rendered (for AWS and for the local runner
 * alike), so no workflow carries a hand-written copy.
 *
 * A handler does not wrap what an SDK call throws: the Lambda runtime reports the error's `name`
 * as the errorType and Step Functions matches Retry on it. The names are therefore SDK v3's: the
 * modeled exception's class name where the service models one (Auto Scaling's `ResourceContention`
 * arrives as `ResourceContentionFault`, CloudWatch's `InternalServiceError` as
 * `InternalServiceFault`), and the wire code for unmodeled ones (`Throttling`, `InternalFailure`).
 */

export interface ServiceTransientErrors {
  /** Rate limiting: retried with full jitter so parallel deploys do not retry in step. */
  readonly throttling: readonly string[];
  /** The service failed or was unavailable (5xx). */
  readonly serverErrors: readonly string[];
  /** The resource is busy with another change; it clears on its own, more slowly. */
  readonly contention?: readonly string[];
  /** The service that runs Ebb's functions is down: no handler ran, so the outage itself must be waited out. */
  readonly unavailable?: readonly string[];
}

// Lambda invoke errors are reported as `Lambda.<Exception>`; an unhandled failure of the function
// itself (timeout, out of memory) as `Lambda.Unknown` (Step Functions developer guide, "Handle
// Lambda service exceptions", https://docs.aws.amazon.com/step-functions/latest/dg/bp-lambda-serviceexception.html).
// Every handler is idempotent (keyed by deploy, phase and batch), so re-invoking one is safe.
export const transientErrors = {
  lambda: {
    throttling: ["Lambda.TooManyRequestsException"],
    serverErrors: ["Lambda.ClientExecutionTimeoutException", "Lambda.Unknown"],
    unavailable: ["Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException"],
  },
  autoScaling: {
    throttling: ["Throttling"],
    serverErrors: ["InternalFailure", "ServiceUnavailable"],
    contention: ["ResourceContentionFault", "ScalingActivityInProgressFault"],
  },
  elasticLoadBalancing: {
    throttling: ["Throttling"],
    serverErrors: ["InternalFailure", "ServiceUnavailable"],
  },
  cloudWatch: {
    throttling: ["Throttling"],
    serverErrors: ["InternalServiceFault", "InternalFailure", "ServiceUnavailable"],
  },
  ec2: {
    throttling: ["RequestLimitExceeded"],
    serverErrors: ["InternalError", "ServiceUnavailable", "Unavailable"],
  },
  ssm: {
    throttling: ["ThrottlingException"],
    serverErrors: ["InternalServerError"],
  },
  dynamoDb: {
    throttling: ["ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded"],
    serverErrors: ["InternalServerError", "ServiceUnavailable"],
  },
  stepFunctions: {
    throttling: ["ThrottlingException"],
    serverErrors: ["ServiceUnavailable", "InternalFailure"],
  },
} as const satisfies Record<string, ServiceTransientErrors>;

type RetryKind = keyof ServiceTransientErrors;

/**
 * Two minutes of backoff at most for a throttle, a 5xx burst or contention: short next to a drain.
 * Lambda itself being unavailable is waited out for five minutes (2+4+8+16+32+4×60 s, no jitter so
 * the span is certain): a hook workflow that gave up sooner would fail on an outage of a few
 * minutes, while its action is still open (a 300 s HeartbeatTimeout); past that span the action
 * has ended with its DefaultResult anyway.
 */
const policies: Readonly<Record<RetryKind, Record<string, JsonValue>>> = {
  throttling: { IntervalSeconds: 2, BackoffRate: 2, MaxAttempts: 6, MaxDelaySeconds: 30, JitterStrategy: "FULL" },
  serverErrors: { IntervalSeconds: 2, BackoffRate: 2, MaxAttempts: 6, MaxDelaySeconds: 30 },
  contention: { IntervalSeconds: 10, BackoffRate: 2, MaxAttempts: 5, MaxDelaySeconds: 60 },
  unavailable: { IntervalSeconds: 2, BackoffRate: 2, MaxAttempts: 9, MaxDelaySeconds: 60 },
};

const KINDS: readonly RetryKind[] = ["throttling", "serverErrors", "unavailable", "contention"];

/** Every service's errors of one kind, each name once, in a stable order. */
function namesOf(kind: RetryKind): string[] {
  const services: readonly ServiceTransientErrors[] = Object.values(transientErrors);
  return [...new Set(services.flatMap((service) => service[kind] ?? []))];
}

/** The Retry list every Lambda Task of a rendered workflow starts with: one retrier per kind. */
export function transientRetriers(): JsonValue[] {
  // A name appears under one kind only, or Step Functions would use the first retrier that lists it.
  const claimed = new Set<string>();
  return KINDS.map((kind) => {
    const names = namesOf(kind).filter((name) => !claimed.has(name));
    for (const name of names) claimed.add(name);
    return { ErrorEquals: names, ...policies[kind] };
  });
}

const isObject = (value: JsonValue | undefined): value is { [key: string]: JsonValue } =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const LAMBDA_RESOURCE = /^(?:\$\{[A-Za-z0-9]+FunctionArn\}|arn:aws[a-z-]*:lambda:)/;

/**
 * A copy of the workflow whose every Lambda Task retries the transient errors first, then any
 * Retry the workflow states itself. A workflow that lists a transient error by hand is refused:
 * the list lives here only.
 */
export function withTransientRetries(definition: JsonValue, documentName: string): JsonValue {
  if (!isObject(definition) || !isObject(definition["States"])) return definition;
  const transient = new Set(KINDS.flatMap(namesOf));
  const problems: string[] = [];
  const states: { [key: string]: JsonValue } = {};
  for (const [name, state] of Object.entries(definition["States"])) {
    if (!isObject(state) || state["Type"] !== "Task" || !LAMBDA_RESOURCE.test(String(state["Resource"]))) {
      states[name] = state;
      continue;
    }
    const own = Array.isArray(state["Retry"]) ? state["Retry"] : [];
    for (const retrier of own) {
      const errors = isObject(retrier) && Array.isArray(retrier["ErrorEquals"]) ? retrier["ErrorEquals"] : [];
      const copies = errors.filter((error) => typeof error === "string" && transient.has(error));
      if (copies.length > 0) problems.push(`${name} retries ${copies.join(", ")} by hand`);
    }
    states[name] = { ...state, Retry: [...transientRetriers(), ...own] };
  }
  if (problems.length > 0) throw new HandWrittenRetryError(documentName, problems);
  return { ...definition, States: states };
}
