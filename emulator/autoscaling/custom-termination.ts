import { INSTANCE_TYPE } from "../ec2/launch-templates-model.ts";
import type { AutoScalingGroupState } from "./group.ts";
import { chooseToTerminate } from "./placement.ts";
import type { FleetInstance } from "./types.ts";

/**
 * A custom termination policy backed by a Lambda function, as the EC2 Auto Scaling user guide
 * describes it ("Create a custom termination policy with Lambda",
 * https://docs.aws.amazon.com/autoscaling/ec2/userguide/lambda-custom-termination-policy.html):
 * the group sends the capacity to terminate per Availability Zone and the instances it suggests,
 * the function answers with `InstanceIDs` ready to terminate. Returning more than needed lets the
 * next policy (here the default one) choose among them; returning none, failing or running past
 * the two-second limit terminates nothing and the group asks again a short time later.
 */

/** What Lambda answers a synchronous invocation with: the function's response, and how long it ran. */
export interface FunctionResult {
  readonly payload: unknown;
  readonly durationMs: number;
}

/**
 * How the group reaches a Lambda function: by ARN, with a JSON payload. Rejects when the function
 * fails (or cannot be found).
 */
export interface FunctionInvoker {
  invoke(functionArn: string, payload: unknown): Promise<FunctionResult>;
}

/** Where the guide gives no figure (the "short time" before a retry) the emulator takes these. */
export interface CustomTerminationSettings {
  /** "The maximum run time for your Lambda function is two seconds (2000 milliseconds)." */
  readonly timeoutMs: number;
  /** How long the group waits before invoking again after no instances, a failure or a timeout. */
  readonly retrySeconds: number;
  /**
   * An instance returned that the group did not suggest: `ignore` (harsher: the group keeps to its
   * balanced suggestion) or `accept` (the guide's "return a different set ... which overrides the
   * instances in the input data"; the later rebalancing it describes is not modelled).
   */
  readonly outsideSuggestion: "ignore" | "accept";
}

export type TerminationCause = "SCALE_IN" | "INSTANCE_REFRESH";

/** "The number of instances provided in the input data is limited to 30,000 instances." */
export const MAX_SUGGESTED_INSTANCES = 30_000;

/** One invocation, as a test or report reads it back. */
export interface TerminationPolicyInvocation {
  readonly autoScalingGroupName: string;
  readonly functionArn: string;
  readonly cause: TerminationCause;
  readonly startedAtMs: number;
  readonly payload: TerminationPolicyInput;
  /** undefined while the function runs. */
  outcome: { readonly instanceIds: readonly string[] } | { readonly failure: string } | undefined;
  settledAtMs: number | undefined;
  /** The instances the group went on to terminate from the answer. */
  terminated: string[];
}

export interface TerminationPolicyInput {
  AutoScalingGroupARN: string;
  AutoScalingGroupName: string;
  CapacityToTerminate: { AvailabilityZone: string; Capacity: number; InstanceMarketOption: "on-demand" }[];
  Instances: { AvailabilityZone: string; InstanceId: string; InstanceType: string; InstanceMarketOption: "on-demand" }[];
  Cause: TerminationCause;
  HasMoreInstances?: true;
}

/** "You can only specify one Lambda function ... the Lambda function must be specified first." */
export const LAMBDA_POLICY = /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9_$-]+)?$/;

export const lambdaPolicyOf = (group: AutoScalingGroupState): string | undefined => {
  const first = group.terminationPolicies[0];
  return first !== undefined && LAMBDA_POLICY.test(first) ? first : undefined;
};

const parseAnswer = (result: unknown): { instanceIds: string[] } | { failure: string } => {
  if (typeof result !== "object" || result === null) return { failure: "the function returned no object" };
  const ids = (result as { InstanceIDs?: unknown }).InstanceIDs;
  if (ids === undefined || ids === null) return { instanceIds: [] };
  if (!Array.isArray(ids) || !ids.every((id) => typeof id === "string")) return { failure: "InstanceIDs is not a list of instance ids" };
  return { instanceIds: ids };
};

/**
 * The input the group sends: CapacityToTerminate is what the default policy's Availability Zone
 * balancing would take from each zone; Instances are the eligible instances of those zones (of
 * every zone when the group is balanced), in the default policy's order of preference.
 */
export function terminationPolicyInput(
  group: AutoScalingGroupState, active: readonly FleetInstance[], count: number, cause: TerminationCause, nowMs: number, respectProtection: boolean,
): TerminationPolicyInput {
  const balanced = chooseToTerminate(group, active, count, nowMs, respectProtection);
  const capacity = new Map<string, number>();
  for (const instance of balanced) capacity.set(instance.availabilityZone, (capacity.get(instance.availabilityZone) ?? 0) + 1);
  const perZone = new Map<string, number>();
  for (const instance of active) perZone.set(instance.availabilityZone, (perZone.get(instance.availabilityZone) ?? 0) + 1);
  const isBalanced = new Set(group.availabilityZones.map((zone) => perZone.get(zone) ?? 0)).size <= 1;
  const eligible = active.filter((instance) => (!respectProtection || !instance.protectedFromScaleIn) && (isBalanced || capacity.has(instance.availabilityZone)));
  const ordered = chooseToTerminate(group, eligible, eligible.length, nowMs, respectProtection);
  return {
    AutoScalingGroupARN: group.autoScalingGroupArn,
    AutoScalingGroupName: group.autoScalingGroupName,
    CapacityToTerminate: group.availabilityZones
      .filter((zone) => capacity.has(zone))
      .map((zone) => ({ AvailabilityZone: zone, Capacity: capacity.get(zone) ?? 0, InstanceMarketOption: "on-demand" as const })),
    Instances: ordered.slice(0, MAX_SUGGESTED_INSTANCES).map((instance) => ({
      AvailabilityZone: instance.availabilityZone,
      InstanceId: instance.instanceId,
      InstanceType: INSTANCE_TYPE,
      InstanceMarketOption: "on-demand" as const,
    })),
    Cause: cause,
    ...(ordered.length > MAX_SUGGESTED_INSTANCES ? { HasMoreInstances: true as const } : {}),
  };
}

/** The groups' Lambda termination policies: one invocation in flight per group at a time. */
export class CustomTerminationPolicies {
  readonly #clock: { readonly nowMs: number };
  readonly #settings: CustomTerminationSettings;
  #invoker: FunctionInvoker | undefined;
  readonly #inFlight = new Map<string, TerminationPolicyInvocation>();
  readonly #retryAtMs = new Map<string, number>();
  readonly #invocations: TerminationPolicyInvocation[] = [];

  constructor(clock: { readonly nowMs: number }, settings: CustomTerminationSettings) {
    this.#clock = clock;
    this.#settings = settings;
  }

  /** Lambda in this account: without it, naming a function in a policy fails every invocation. */
  connect(invoker: FunctionInvoker | undefined): void {
    this.#invoker = invoker;
  }

  invocations(): readonly TerminationPolicyInvocation[] {
    return this.#invocations;
  }

  /**
   * The instances to terminate now, out of `active`: the default policy's choice when the group
   * names no Lambda function; otherwise what the function's last answer allows (possibly none
   * while it runs or after it failed, the group asking again later).
   */
  choose(group: AutoScalingGroupState, active: readonly FleetInstance[], count: number, cause: TerminationCause, nowMs: number, respectProtection = true): FleetInstance[] {
    const functionArn = lambdaPolicyOf(group);
    if (functionArn === undefined || count <= 0) return chooseToTerminate(group, active, count, nowMs, respectProtection);
    const name = group.autoScalingGroupName;
    const running = this.#inFlight.get(name);
    if (running !== undefined) {
      if (running.outcome === undefined) return [];
      this.#inFlight.delete(name);
      return this.#apply(running, group, active, count, nowMs, respectProtection);
    }
    if (nowMs < (this.#retryAtMs.get(name) ?? 0)) return [];
    this.#start(functionArn, terminationPolicyInput(group, active, count, cause, nowMs, respectProtection));
    return [];
  }

  #start(functionArn: string, payload: TerminationPolicyInput): void {
    const invocation: TerminationPolicyInvocation = {
      autoScalingGroupName: payload.AutoScalingGroupName,
      functionArn,
      cause: payload.Cause,
      startedAtMs: this.#clock.nowMs,
      payload,
      outcome: undefined,
      settledAtMs: undefined,
      terminated: [],
    };
    this.#invocations.push(invocation);
    this.#inFlight.set(payload.AutoScalingGroupName, invocation);
    const settle = (outcome: NonNullable<TerminationPolicyInvocation["outcome"]>): void => {
      invocation.settledAtMs = this.#clock.nowMs;
      invocation.outcome = outcome;
    };
    if (this.#invoker === undefined) {
      settle({ failure: `Function not found: ${functionArn}` });
      return;
    }
    // Lambda stops a function at its limit: whatever it would have answered after that is lost.
    this.#invoker.invoke(functionArn, structuredClone(payload)).then(
      (result) => settle(result.durationMs > this.#settings.timeoutMs ? { failure: `the function ran past ${this.#settings.timeoutMs} ms` } : parseAnswer(result.payload)),
      (error: unknown) => settle({ failure: error instanceof Error ? error.message : String(error) }),
    );
  }

  #apply(
    invocation: TerminationPolicyInvocation, group: AutoScalingGroupState, active: readonly FleetInstance[], count: number, nowMs: number, respectProtection: boolean,
  ): FleetInstance[] {
    const outcome = invocation.outcome ?? { failure: "no answer" };
    const suggested = new Set(invocation.payload.Instances.map((instance) => instance.InstanceId));
    const returned = "instanceIds" in outcome ? new Set(outcome.instanceIds) : new Set<string>();
    const ready = active.filter(
      (instance) =>
        returned.has(instance.instanceId) &&
        instance.lifecycleState === "InService" &&
        (!respectProtection || !instance.protectedFromScaleIn) &&
        (this.#settings.outsideSuggestion === "accept" || suggested.has(instance.instanceId)),
    );
    // More than needed: the next policy in the list (the default one) chooses among them.
    const chosen = ready.length > count ? chooseToTerminate(group, ready, count, nowMs, respectProtection) : ready;
    invocation.terminated = chosen.map((instance) => instance.instanceId);
    if (chosen.length < count) this.#retryAtMs.set(group.autoScalingGroupName, nowMs + this.#settings.retrySeconds * 1000);
    return chosen;
  }
}
