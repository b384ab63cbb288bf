import type { World } from "../world.ts";
import { appIsUp } from "./app.ts";
import type { LoadBalancingAlgorithm } from "../../emulator/elbv2/target-group.ts";
import { fillLeastConnections, spreadRoundRobin } from "../../emulator/elbv2/routing.ts";
import { SessionQueue } from "./session-queue.ts";
import type { ForcedCloseCause } from "../../emulator/ports.ts";
import { sessionsAt, takeProportionally } from "./traffic.ts";

export interface SessionCounts {
  sessions: number;
  connected: number;
  pendingReconnect: number;
  away: number;
}

/** Where this step's connection attempts can go; taken once per step, shared by every batch of attempts. */
interface RoutingSnapshot {
  accepting: number[];
  failureShare: number;
  algorithm: LoadBalancingAlgorithm;
}

/**
 * The WebSocket clients and the app's connections, as an exact aggregate: per-instance integer
 * counts (by launch index) and queues of sessions counted per due second. Every session is in
 * exactly one place: connected to an instance, waiting to reconnect (backoff), or away (churn).
 */
export class ClientPopulation {
  readonly #world: World;
  readonly #connections: number[] = [];
  readonly #churnCarry: number[] = [];
  readonly #drainCarry: number[] = [];
  readonly #draining: boolean[] = [];
  /** The rate each draining app was told to shed at (`ebb-drain --rate N`), by launch index. */
  readonly #drainRate: (number | undefined)[] = [];
  readonly #reconnecting = new SessionQueue();
  readonly #away = new SessionQueue();
  #connected = 0;
  /** Sessions that want to be connected now (the traffic shape moves it). */
  #sessions: number;
  /** Sessions the traffic shape removed while they were not connected: they leave as they come back. */
  #leavingDebt = 0;
  #cursor = 0;
  #newLastStep = 0;

  constructor(world: World) {
    this.#world = world;
    const sessions = world.config.clients.sessions;
    this.#sessions = sessions;
    const holders = world.autoscaling.instances().filter((instance) => instance.lifecycleState === "InService");
    if (holders.length === 0) {
      this.#away.add(Math.floor(world.clock.nowMs / 1000) + 1, 0, sessions);
      return;
    }
    const weights = holders.map((instance) => world.config.clients.initialShares[instance.launchIndex] ?? 1);
    const total = weights.reduce((sum, weight) => sum + weight, 0);
    // Whole sessions by weight; what rounding leaves over goes one each to the first holders.
    const shares = weights.map((weight) => (total > 0 ? Math.floor((sessions * weight) / total) : 0));
    let left = sessions - shares.reduce((sum, share) => sum + share, 0);
    for (let i = 0; left > 0; i = (i + 1) % shares.length, left -= 1) shares[i] = (shares[i] ?? 0) + 1;
    holders.forEach((instance, i) => {
      this.#connections[instance.launchIndex] = shares[i] ?? 0;
    });
    this.#connected = sessions;
  }

  connectionsOf(instanceId: string): number {
    const instance = this.#world.autoscaling.instance(instanceId);
    return instance === undefined ? 0 : (this.#connections[instance.launchIndex] ?? 0);
  }

  totalConnections(): number {
    return this.#connected;
  }

  newConnectionsLastStep(): number {
    return this.#newLastStep;
  }

  counts(): SessionCounts {
    return {
      sessions: this.#sessions,
      connected: this.#connected,
      pendingReconnect: this.#reconnecting.size,
      away: this.#away.size,
    };
  }

  isDraining(instanceId: string): boolean {
    const instance = this.#world.autoscaling.instance(instanceId);
    return instance !== undefined && this.#draining[instance.launchIndex] === true;
  }

  /** The app's drain signal: it stops taking connections and sheds them at its own rate, or the slower one it was told. */
  startDrain(instanceId: string, ratePerSecond?: number): boolean {
    const instance = this.#world.autoscaling.instance(instanceId);
    if (instance === undefined || instance.ec2State !== "running" || instance.crashed) return false;
    this.#draining[instance.launchIndex] = true;
    this.#drainRate[instance.launchIndex] = ratePerSecond;
    return true;
  }

  /**
   * The app's undrain signal (an aborted deploy registered it back): it takes new connections
   * again; routing refills it. Returns false if the instance is not running. Harmless when not draining.
   */
  stopDrain(instanceId: string): boolean {
    const instance = this.#world.autoscaling.instance(instanceId);
    if (instance === undefined || instance.ec2State !== "running" || instance.crashed) return false;
    this.#draining[instance.launchIndex] = false;
    this.#drainCarry[instance.launchIndex] = 0;
    return true;
  }

  /** Closes by force every connection the instance holds; the clients come back with backoff. */
  forceCloseAll(instanceId: string, cause: ForcedCloseCause): number {
    const instance = this.#world.autoscaling.instance(instanceId);
    if (instance === undefined) return 0;
    const count = this.#connections[instance.launchIndex] ?? 0;
    if (count === 0) return 0;
    this.#connections[instance.launchIndex] = 0;
    this.#connected -= count;
    this.#world.stats.countForcedClose(instanceId, count, cause);
    const nowSecond = Math.floor(this.#world.clock.nowMs / 1000);
    this.#reconnecting.backoff(this.#world.rng, this.#world.config.clients.reconnect, nowSecond, 0, count);
    return count;
  }

  step(nowMs: number): void {
    const world = this.#world;
    const nowSecond = Math.floor(nowMs / 1000);
    const { churnPerHour, meanAwaySeconds } = world.config.clients;
    const churnPerSecond = churnPerHour / 3600;
    const appShedPerSecond = world.config.app.drainRatePerSecond;
    let churned = 0;
    let handoffs = 0;
    for (let index = 0; index < this.#connections.length; index++) {
      let count = this.#connections[index] ?? 0;
      if (count === 0) continue;
      const churnCarry = (this.#churnCarry[index] ?? 0) + count * churnPerSecond;
      const leaving = Math.min(count, Math.floor(churnCarry));
      this.#churnCarry[index] = churnCarry - leaving;
      count -= leaving;
      churned += leaving;
      if (this.#draining[index] === true && count > 0) {
        const drainCarry = (this.#drainCarry[index] ?? 0) + Math.min(appShedPerSecond, this.#drainRate[index] ?? appShedPerSecond);
        const shed = Math.min(count, Math.floor(drainCarry));
        this.#drainCarry[index] = drainCarry - shed;
        count -= shed;
        handoffs += shed;
      }
      this.#connections[index] = count;
    }
    this.#connected -= churned + handoffs;
    world.stats.gracefulHandoffs += handoffs;
    this.#away.spreadExponential(world.rng, nowSecond, meanAwaySeconds, churned);

    const arriving = this.#followTrafficShape(nowMs);
    const back = this.#away.takeDue(nowSecond).reduce((sum, count) => sum + count, 0);
    const settled = Math.min(back, this.#leavingDebt);
    this.#leavingDebt -= settled;
    const returning = back - settled + arriving;
    const retries = this.#reconnecting.takeDue(nowSecond);
    this.#newLastStep = 0;
    const targets = this.#acceptingTargets(nowMs);
    let reconnected = this.#connect(targets, this.#answerClose(handoffs, nowSecond), 0, nowSecond);
    retries.forEach((count, attempt) => {
      reconnected += this.#connect(targets, count, attempt, nowSecond);
    });
    this.#connect(targets, returning, 0, nowSecond);
    if (reconnected > 0) world.stats.countReconnects(reconnected, Math.floor(world.elapsedSeconds / 60));
  }

  /** Clients the app closed gracefully: those whose close code asks for a delay wait for it; returns those reconnecting now. */
  #answerClose(closed: number, nowSecond: number): number {
    const world = this.#world;
    const [minDelay, maxDelay] = world.config.clients.reconnectAfterClose[world.config.app.drainCloseCode];
    if (closed === 0 || maxDelay === 0) return closed;
    this.#reconnecting.spreadUniform(world.rng, nowSecond, 0, closed, minDelay, maxDelay);
    return 0;
  }

  /** Moves the wanted sessions along clients.ramps: returns the new sessions arriving this step. */
  #followTrafficShape(nowMs: number): number {
    const { sessions, ramps } = this.#world.config.clients;
    if (ramps.length === 0) return 0;
    const wanted = sessionsAt(sessions, ramps, (nowMs - this.#world.startMs) / 1000);
    const change = wanted - this.#sessions;
    this.#sessions = wanted;
    if (change >= 0) return change;
    const left = takeProportionally(this.#connections, -change);
    this.#connected -= left;
    this.#leavingDebt += -change - left;
    return 0;
  }

  /** Launch indexes the load balancer routes to, and the share of attempts that reach a dead app. */
  #acceptingTargets(nowMs: number): RoutingSnapshot {
    const world = this.#world;
    const accepting: number[] = [];
    const routed = world.elb.routableInstanceIds();
    for (const id of routed) {
      const instance = world.autoscaling.instance(id);
      if (instance !== undefined && appIsUp(instance, nowMs) && this.#draining[instance.launchIndex] !== true) {
        accepting.push(instance.launchIndex);
      }
    }
    return { accepting, failureShare: routed.length === 0 ? 1 : 1 - accepting.length / routed.length, algorithm: world.elb.routingAlgorithm() };
  }

  /** Tries to connect `count` sessions; those that fail back off. Returns how many connected. */
  #connect(targets: RoutingSnapshot, count: number, attempt: number, nowSecond: number): number {
    if (count === 0) return 0;
    const world = this.#world;
    const failed = targets.accepting.length === 0 ? count : Math.min(count, world.rng.roundExpected(count * targets.failureShare));
    const connected = count - failed;
    if (connected > 0) {
      if (targets.algorithm === "round_robin") {
        this.#cursor = spreadRoundRobin(this.#connections, targets.accepting, connected, this.#cursor);
      } else {
        fillLeastConnections(this.#connections, targets.accepting, connected);
      }
      this.#connected += connected;
      this.#newLastStep += connected;
    }
    this.#reconnecting.backoff(world.rng, world.config.clients.reconnect, nowSecond, attempt, failed);
    return connected;
  }
}
