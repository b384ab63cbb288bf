import { arn, nameHash } from "../ec2/ids.ts";
import type { LoadBalancingSettings, LoadBalancingWorld } from "./ports.ts";
import { stateOf, TargetGroup, type LoadBalancingAlgorithm, type RegisteredTarget } from "./target-group.ts";
import type { TargetHealthState, TargetHealthView } from "../autoscaling/types.ts";

export interface LoadBalancer {
  readonly loadBalancerArn: string;
  readonly loadBalancerName: string;
  readonly dnsName: string;
  readonly createdTimeMs: number;
  readonly availabilityZones: readonly { zoneName: string; subnetId: string }[];
  readonly vpcId: string;
  readonly securityGroups: readonly string[];
  idleTimeoutSeconds: number;
}

export type ListenerAction =
  | { readonly type: "forward"; readonly targetGroupArn: string }
  | { readonly type: "redirect"; readonly protocol: "HTTPS"; readonly port: string; readonly statusCode: "HTTP_301" | "HTTP_302" };

export interface Listener {
  readonly listenerArn: string;
  readonly loadBalancerArn: string;
  readonly port: number;
  readonly protocol: "HTTP" | "HTTPS";
  readonly action: ListenerAction;
  /** HTTPS: the security policy and the certificates (the first is the default). */
  readonly sslPolicy?: string;
  readonly certificateArns?: readonly string[];
}

/** What CreateListener does when HTTPS is asked for without a policy (ELBv2 API reference, CreateListener SslPolicy). */
export const DEFAULT_SSL_POLICY = "ELBSecurityPolicy-2016-08";

const listenerArnOf = (loadBalancer: LoadBalancer, port: number): string =>
  `${loadBalancer.loadBalancerArn.replace(":loadbalancer/", ":listener/")}/${nameHash(`listener/${loadBalancer.loadBalancerName}/${port}`)}`;

export const VPC_ID = "vpc-0ebb0000000000001";

/**
 * ELBv2 as physics: the scenario's ALB, its listener and target group, target registration,
 * health checks on each target's own schedule, deregistration with the delay (and the forced
 * close of whatever is still open when it expires), and the propagation window in which load
 * balancer nodes still route to a target just deregistered. Routing of new connections is asked
 * for by the client population through `routableInstanceIds`.
 */
export class LoadBalancingModel {
  readonly #world: LoadBalancingWorld;
  readonly #targetGroups: TargetGroup[] = [];
  readonly #loadBalancers: LoadBalancer[] = [];
  readonly #listeners: Listener[] = [];
  readonly #deregistrationWatchers: ((instanceId: string) => void)[] = [];

  constructor(world: LoadBalancingWorld, settings: LoadBalancingSettings) {
    this.#world = world;
    const { region, accountId } = world;
    const { targetGroup: tg, availabilityZones } = settings;
    const nowMs = world.clock.nowMs;
    const group = new TargetGroup({
      targetGroupArn: arn("elasticloadbalancing", region, accountId, `targetgroup/${tg.name}/${nameHash(`tg/${tg.name}`)}`),
      targetGroupName: tg.name,
      port: tg.port,
      healthCheck: { ...tg.healthCheck },
      registrationSeconds: tg.registrationSeconds,
      deregistration: { delaySeconds: tg.deregistrationDelaySeconds, propagationSeconds: tg.deregistrationPropagationSeconds },
      algorithm: tg.algorithm === "round_robin" ? "round_robin" : "least_outstanding_requests",
      createdTimeMs: nowMs,
    });
    const lbHash = nameHash(`lb/${tg.loadBalancerName}`);
    const loadBalancer: LoadBalancer = {
      loadBalancerArn: arn("elasticloadbalancing", region, accountId, `loadbalancer/app/${tg.loadBalancerName}/${lbHash}`),
      loadBalancerName: tg.loadBalancerName,
      dnsName: `${tg.loadBalancerName}-${parseInt(lbHash.slice(0, 8), 16)}.${region}.elb.amazonaws.com`,
      createdTimeMs: nowMs,
      availabilityZones: availabilityZones.map((zoneName, i) => ({ zoneName, subnetId: `subnet-0ebb${String(i + 1).padStart(13, "0")}` })),
      vpcId: VPC_ID,
      securityGroups: ["sg-0ebb0000000000001"],
      idleTimeoutSeconds: tg.idleTimeoutSeconds,
    };
    group.loadBalancerArns.push(loadBalancer.loadBalancerArn);
    this.#targetGroups.push(group);
    this.#loadBalancers.push(loadBalancer);
    for (const listener of tg.listeners ?? [{ port: 80, protocol: "HTTP", action: "forward" }]) {
      this.addListener({
        listenerArn: listenerArnOf(loadBalancer, listener.port),
        loadBalancerArn: loadBalancer.loadBalancerArn,
        port: listener.port,
        protocol: listener.protocol,
        action: listener.action === "forward" ? { type: "forward", targetGroupArn: group.targetGroupArn } : { type: "redirect", protocol: "HTTPS", port: "443", statusCode: "HTTP_301" },
        ...(listener.protocol === "HTTPS" ? { sslPolicy: listener.sslPolicy ?? DEFAULT_SSL_POLICY, certificateArns: listener.certificateArn === undefined ? [] : [listener.certificateArn] } : {}),
      });
    }
  }

  /** The ARN a new listener on this port gets. */
  listenerArnFor(loadBalancerArn: string, port: number): string | undefined {
    const loadBalancer = this.#loadBalancers.find((candidate) => candidate.loadBalancerArn === loadBalancerArn);
    return loadBalancer === undefined ? undefined : listenerArnOf(loadBalancer, port);
  }

  addListener(listener: Listener): void {
    this.#listeners.push(listener);
  }

  targetGroups(): readonly TargetGroup[] {
    return this.#targetGroups;
  }

  targetGroup(targetGroupArn: string): TargetGroup | undefined {
    return this.#targetGroups.find((group) => group.targetGroupArn === targetGroupArn);
  }

  loadBalancers(): readonly LoadBalancer[] {
    return this.#loadBalancers;
  }

  listeners(): readonly Listener[] {
    return this.#listeners;
  }

  /**
   * The scenario starts in steady state: these targets are registered and already healthy, their
   * health checks spread over the interval as if registered at different times.
   */
  registerHealthy(targetGroupArn: string, instanceIds: readonly string[]): void {
    const group = this.#require(targetGroupArn);
    const nowMs = this.#world.clock.nowMs;
    const interval = group.healthCheck.intervalSeconds;
    instanceIds.forEach((id, i) => group.register(id, nowMs, true, nowMs + ((i % interval) + 1) * 1000));
  }

  registerTargets(targetGroupArn: string, instanceIds: readonly string[]): void {
    const group = this.#require(targetGroupArn);
    for (const id of instanceIds) group.register(id, this.#world.clock.nowMs);
  }

  /** Calls `watcher` as each deregistration begins, before anything is closed (what the target held is still there to read). */
  watchDeregistrations(watcher: (instanceId: string) => void): void {
    this.#deregistrationWatchers.push(watcher);
  }

  /**
   * Starts deregistration. Even a target without connections stays `draining` until the delay is
   * over (the ALB guide's deregistration delay section); with no delay it is gone at once.
   */
  deregisterTargets(targetGroupArn: string, instanceIds: readonly string[]): void {
    const group = this.#require(targetGroupArn);
    for (const id of instanceIds) {
      if (!group.startDraining(id, this.#world.clock.nowMs)) continue;
      for (const watcher of this.#deregistrationWatchers) watcher(id);
      if (group.deregistrationDelaySeconds === 0) this.#finishDraining(group, id);
    }
  }

  targetHealth(targetGroupArn: string, instanceId: string): TargetHealthView {
    return this.#require(targetGroupArn).healthOf(instanceId);
  }

  /** The bare state, without building a view (the ASG asks this for every instance every step). */
  targetState(targetGroupArn: string, instanceId: string): TargetHealthState {
    const target = this.#require(targetGroupArn).targets.get(instanceId);
    return target === undefined ? "unused" : stateOf(target);
  }

  /** Registered or still draining in some target group. */
  isRegisteredAnywhere(instanceId: string): boolean {
    return this.#targetGroups.some((group) => group.targets.has(instanceId));
  }

  /**
   * Whether someone waiting on this target's deregistration must still wait: `full-delay` until
   * the target is gone (DescribeTargetHealth no longer says draining), `until-drained` until
   * deregistration is complete inside the load balancer (no node routes to it, no connection left).
   */
  deregistrationPending(targetGroupArn: string, instanceId: string, wait: "full-delay" | "until-drained"): boolean {
    const target = this.#require(targetGroupArn).targets.get(instanceId);
    if (target === undefined) return false;
    if (target.deregistration === undefined) return true;
    const nowMs = this.#world.clock.nowMs;
    if (wait === "full-delay" || nowMs >= target.deregistration.endsMs) return nowMs < target.deregistration.endsMs;
    return nowMs < target.deregistration.routedUntilMs || this.#world.physics.connectionsOf(instanceId) > 0;
  }

  healthCounts(targetGroupArn: string): { healthy: number; unhealthy: number } {
    let healthy = 0;
    let unhealthy = 0;
    for (const target of this.#require(targetGroupArn).targets.values()) {
      if (target.deregistration !== undefined) continue;
      if (target.health === "healthy") healthy += 1;
      else if (target.health === "unhealthy") unhealthy += 1;
    }
    return { healthy, unhealthy };
  }

  /** A terminated instance is no longer a target anywhere. */
  forgetInstance(instanceId: string): void {
    for (const group of this.#targetGroups) group.targets.delete(instanceId);
  }

  /**
   * Where the listener sends new connections: healthy targets of its target group (every
   * target when health checks are off); if none is healthy but some are unhealthy, the ALB fails
   * open and routes to all of those. A target just deregistered is still routed to by nodes that
   * have not heard of it yet.
   */
  routableInstanceIds(): string[] {
    const nowMs = this.#world.clock.nowMs;
    const healthy: string[] = [];
    const unhealthy: string[] = [];
    // Two listeners forwarding to one group (HTTP and HTTPS) route to the same targets once.
    const forwarded = new Set(this.#listeners.flatMap((listener) => (listener.action.type === "forward" ? [listener.action.targetGroupArn] : [])));
    for (const arnOfGroup of forwarded) {
      const group = this.targetGroup(arnOfGroup);
      if (group === undefined) continue;
      for (const target of group.targets.values()) {
        if (target.deregistration !== undefined && nowMs >= target.deregistration.routedUntilMs) continue;
        if (target.health === "healthy" || target.health === "unavailable") healthy.push(target.instanceId);
        else if (target.health === "unhealthy") unhealthy.push(target.instanceId);
      }
    }
    return healthy.length > 0 ? healthy : unhealthy;
  }

  /** The balancing algorithm of the listener's target group. */
  routingAlgorithm(): LoadBalancingAlgorithm {
    const forward = this.#listeners.find((listener) => listener.action.type === "forward")?.action;
    return (forward?.type === "forward" ? this.targetGroup(forward.targetGroupArn)?.algorithm : undefined) ?? "round_robin";
  }

  step(nowMs: number): void {
    for (const group of this.#targetGroups) {
      for (const target of group.targets.values()) {
        if (target.deregistration !== undefined && nowMs >= target.deregistration.endsMs) {
          this.#finishDraining(group, target.instanceId);
          continue;
        }
        this.#runDueChecks(group, target, nowMs);
      }
    }
  }

  /** A check that gets no answer is known to have failed only once its timeout has run out. */
  #runDueChecks(group: TargetGroup, target: RegisteredTarget, nowMs: number): void {
    while (group.checkDue(target, nowMs)) {
      const outcome = this.#world.physics.healthCheckOutcome(target.instanceId, target.nextCheckMs);
      if (outcome === "timeout" && nowMs < target.nextCheckMs + group.healthCheck.timeoutSeconds * 1000) return;
      group.recordCheck(target, outcome);
    }
  }

  #finishDraining(group: TargetGroup, instanceId: string): void {
    group.targets.delete(instanceId);
    // An ALB closes whatever is still open when the delay is over (an NLB would keep it).
    if (!this.isRegisteredAnywhere(instanceId)) this.#world.physics.forceCloseAll(instanceId, "deregistration-delay");
  }

  #require(targetGroupArn: string): TargetGroup {
    const group = this.targetGroup(targetGroupArn);
    if (group === undefined) throw new Error(`unknown target group ${targetGroupArn}`);
    return group;
  }
}
