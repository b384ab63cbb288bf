import { validationError } from "../protocol/errors.ts";
import type { AutoScalingWorld } from "./ports.ts";
import type { AutoScalingGroupState } from "./group.ts";
import { sequenceUuid } from "../ec2/ids.ts";
import type { FleetInstance, LifecycleAction, LifecycleHookSpec, LifecycleResult, LifecycleTransition } from "./types.ts";

const TOKEN_KIND = 0x1ac7;
const GLOBAL_TIMEOUT_CAP_SECONDS = 48 * 3600;

export const globalTimeoutSeconds = (heartbeatTimeoutSeconds: number): number =>
  Math.min(GLOBAL_TIMEOUT_CAP_SECONDS, 100 * heartbeatTimeoutSeconds);

export interface ActionSelector {
  autoScalingGroupName: string;
  lifecycleHookName: string;
  token: string | undefined;
  instanceId: string | undefined;
}

/**
 * Open lifecycle actions: one per hook when an instance enters Pending:Wait or Terminating:Wait.
 * Each is announced on the event bus as AWS does, ends when completed through the API or when
 * its heartbeat timeout (or the global timeout) passes, with the hook's DefaultResult.
 */
export class LifecycleActions {
  readonly #world: AutoScalingWorld;
  readonly #byToken = new Map<string, LifecycleAction>();
  readonly #open = new Set<LifecycleAction>();
  /** The current round of actions per instance (launch or terminate). */
  readonly #byInstance = new Map<string, LifecycleAction[]>();
  #sequence = 0;

  constructor(world: AutoScalingWorld) {
    this.#world = world;
  }

  /** Starts one action per hook on `transition`; returns how many were started. */
  begin(group: AutoScalingGroupState, instance: FleetInstance, transition: LifecycleTransition): number {
    const nowMs = this.#world.clock.nowMs;
    const round: LifecycleAction[] = [];
    if (transition === "autoscaling:EC2_INSTANCE_LAUNCHING" && instance.returningFromStandby) {
      instance.returningFromStandby = false;
      this.#byInstance.set(instance.instanceId, round);
      return 0;
    }
    for (const hook of group.lifecycleHooks.values()) {
      if (hook.lifecycleTransition !== transition) continue;
      this.#sequence += 1;
      const action: LifecycleAction = {
        token: sequenceUuid(TOKEN_KIND, this.#sequence),
        hook: { ...hook },
        instanceId: instance.instanceId,
        startedAtMs: nowMs,
        timeoutAtMs: nowMs + hook.heartbeatTimeoutSeconds * 1000,
        globalDeadlineMs: nowMs + globalTimeoutSeconds(hook.heartbeatTimeoutSeconds) * 1000,
        result: undefined,
        completedBy: undefined,
      };
      this.#byToken.set(action.token, action);
      this.#open.add(action);
      round.push(action);
      this.#publish(group, action);
    }
    this.#byInstance.set(instance.instanceId, round);
    return round.length;
  }

  /** The hook is being deleted: its open actions end as DeleteLifecycleHook documents. */
  completeOutstanding(hook: LifecycleHookSpec): void {
    for (const action of this.#open) {
      if (action.hook.lifecycleHookName !== hook.lifecycleHookName || action.hook.autoScalingGroupName !== hook.autoScalingGroupName) continue;
      this.#close(action, action.hook.lifecycleTransition === "autoscaling:EC2_INSTANCE_LAUNCHING" ? "ABANDON" : "CONTINUE", "api");
    }
  }

  /** undefined while any action of the instance's current round is open; ABANDON wins over CONTINUE. */
  outcome(instanceId: string): LifecycleResult | undefined {
    const round = this.#byInstance.get(instanceId) ?? [];
    if (round.some((action) => action.result === undefined)) return undefined;
    return round.some((action) => action.result === "ABANDON") ? "ABANDON" : "CONTINUE";
  }

  /** Lifecycle actions still waiting for a result. */
  get openCount(): number {
    return this.#open.size;
  }

  complete(selector: ActionSelector, result: LifecycleResult): void {
    const action = this.#find(selector);
    if (action.result !== undefined) {
      if (action.completedBy === "api") this.#world.stats.duplicateCompletions += 1;
      throw this.#notFound(selector, action.instanceId);
    }
    this.#close(action, result, "api");
    this.#world.stats.lifecycleCompleted += 1;
  }

  heartbeat(selector: ActionSelector): void {
    const action = this.#find(selector);
    if (action.result !== undefined) throw this.#notFound(selector, action.instanceId);
    const nowMs = this.#world.clock.nowMs;
    action.timeoutAtMs = Math.min(nowMs + action.hook.heartbeatTimeoutSeconds * 1000, action.globalDeadlineMs);
    this.#world.stats.lifecycleHeartbeats += 1;
  }

  /** Closes the instance's open actions without a result anyone chose (it is being terminated). */
  supersede(instanceId: string): void {
    for (const action of this.#byInstance.get(instanceId) ?? []) {
      if (action.result === undefined) this.#close(action, "ABANDON", "superseded");
    }
  }

  step(nowMs: number): void {
    for (const action of this.#open) {
      if (nowMs >= action.timeoutAtMs || nowMs >= action.globalDeadlineMs) {
        this.#close(action, action.hook.defaultResult, "timeout");
        this.#world.stats.lifecycleTimedOut += 1;
      }
    }
  }

  /**
   * On a terminating instance "ABANDON stops any remaining actions, such as other lifecycle hooks"
   * (Add lifecycle hooks), so the rest of its round is superseded.
   */
  #close(action: LifecycleAction, result: LifecycleResult, by: "api" | "timeout" | "superseded"): void {
    action.result = result;
    action.completedBy = by;
    this.#open.delete(action);
    if (result !== "ABANDON" || by === "superseded" || action.hook.lifecycleTransition !== "autoscaling:EC2_INSTANCE_TERMINATING") return;
    for (const other of this.#byInstance.get(action.instanceId) ?? []) {
      if (other.result === undefined) this.#close(other, "ABANDON", "superseded");
    }
  }

  #find(selector: ActionSelector): LifecycleAction {
    let action: LifecycleAction | undefined;
    if (selector.token !== undefined) {
      action = this.#byToken.get(selector.token);
    } else if (selector.instanceId !== undefined) {
      const round = this.#byInstance.get(selector.instanceId) ?? [];
      action = round.find((candidate) => candidate.hook.lifecycleHookName === selector.lifecycleHookName);
    }
    if (
      action === undefined ||
      action.hook.lifecycleHookName !== selector.lifecycleHookName ||
      action.hook.autoScalingGroupName !== selector.autoScalingGroupName ||
      (selector.instanceId !== undefined && action.instanceId !== selector.instanceId)
    ) {
      throw this.#notFound(selector, selector.instanceId);
    }
    return action;
  }

  #notFound(selector: ActionSelector, instanceId: string | undefined) {
    return instanceId !== undefined
      ? validationError(`No active Lifecycle Action found with instance ID ${instanceId}`)
      : validationError(`No active Lifecycle Action found with token ${selector.token ?? ""}`);
  }

  #publish(group: AutoScalingGroupState, action: LifecycleAction): void {
    const launching = action.hook.lifecycleTransition === "autoscaling:EC2_INSTANCE_LAUNCHING";
    const detail: Record<string, string> = {
      LifecycleActionToken: action.token,
      AutoScalingGroupName: group.autoScalingGroupName,
      LifecycleHookName: action.hook.lifecycleHookName,
      EC2InstanceId: action.instanceId,
      LifecycleTransition: action.hook.lifecycleTransition,
    };
    if (action.hook.notificationMetadata !== undefined) detail.NotificationMetadata = action.hook.notificationMetadata;
    detail.Origin = launching ? "EC2" : "AutoScalingGroup";
    detail.Destination = launching ? "AutoScalingGroup" : "EC2";
    this.#world.events.publish({
      source: "aws.autoscaling",
      "detail-type": launching ? "EC2 Instance-launch Lifecycle Action" : "EC2 Instance-terminate Lifecycle Action",
      resources: [group.autoScalingGroupArn],
      detail,
    });
  }
}
