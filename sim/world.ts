import type { AccountContext, EmulatedAccount } from "../emulator/account.ts";
import { VirtualClock } from "../emulator/clock.ts";
import type { FleetPhysics } from "../emulator/ports.ts";
import type { StepFunctionsHost } from "../emulator/stepfunctions/registry.ts";
import { autoScalingSettings, loadBalancingSettings } from "./config/emulator-settings.ts";
import type { ScenarioConfig } from "./config/schema.ts";
import { EventBus } from "../emulator/events/bus.ts";
import { FaultInjector } from "./faults/injector.ts";
import { AutoScalingModel } from "../emulator/autoscaling/model.ts";
import { ClientPopulation } from "./physics/clients.ts";
import { FleetMetricPublisher } from "./physics/fleet-publisher.ts";
import { fleetPhysics } from "./physics/ports.ts";
import { sequenceUuid } from "../emulator/ec2/ids.ts";
import { LoadBalancingModel } from "../emulator/elbv2/model.ts";
import { CloudWatchModel } from "../emulator/cloudwatch/model.ts";
import { Rng } from "./random.ts";
import { SsmModel } from "../emulator/ssm/model.ts";
import { InstanceStatusChecks } from "../emulator/ec2/status-checks.ts";
import { WorldStats } from "./stats.ts";

/** Something that moves with virtual time. `step` is called once per physics step, in order. */
export interface Stepper {
  step(nowMs: number): void;
}

/** Physics advance in whole steps of this size. */
export const STEP_MS = 1000;

/** Request ids read "ebb00000-…" so an emulated response is recognisable in logs. */
const REQUEST_ID_KIND = 0xebb00000;

/**
 * The emulated AWS account: every service's state and the fleet physics, on one virtual clock.
 * The SDK request handler, the HTTP server and the local Step Functions runner all act on it.
 * The AWS models see only the ports they are given here (the account, their settings, the
 * physics and the other services they ask), in the order they are built.
 */
export class World implements EmulatedAccount, StepFunctionsHost {
  readonly config: ScenarioConfig;
  /** The scenario's virtual start (config.startTime), parsed once. */
  readonly startMs: number;
  readonly clock: VirtualClock;
  readonly rng: Rng;
  readonly stats = new WorldStats();
  readonly faults: FaultInjector;
  readonly events: EventBus;
  readonly cloudwatch: CloudWatchModel;
  readonly elb: LoadBalancingModel;
  readonly autoscaling: AutoScalingModel;
  readonly clients: ClientPopulation;
  readonly ssm: SsmModel;
  readonly ec2Status: InstanceStatusChecks;
  readonly physics: FleetPhysics;
  readonly #fleetMetrics: FleetMetricPublisher;
  readonly #steppers: Stepper[];
  readonly #observers: Stepper[] = [];
  #requestSequence = 0;

  constructor(config: ScenarioConfig) {
    this.config = config;
    this.startMs = Date.parse(config.startTime);
    this.clock = new VirtualClock(this.startMs);
    this.rng = new Rng(config.seed);
    this.faults = new FaultInjector(this);
    this.physics = fleetPhysics(this);
    const account: AccountContext = { accountId: config.accountId, region: config.region, clock: this.clock, nextRequestId: () => this.nextRequestId() };
    const { rng, stats, physics, faults } = this;
    this.events = new EventBus({ ...account, rng }, config.faults.events);
    this.cloudwatch = new CloudWatchModel({ ...account, events: this.events }, config.cloudwatch);
    this.elb = new LoadBalancingModel({ ...account, physics }, loadBalancingSettings(config));
    this.autoscaling = new AutoScalingModel(
      { ...account, rng, stats, physics, faults, elb: this.elb, cloudwatch: this.cloudwatch, events: this.events },
      autoScalingSettings(config),
    );
    this.clients = new ClientPopulation(this);
    this.ssm = new SsmModel({ ...account, rng, physics, faults, autoscaling: this.autoscaling }, config.aws.ssm);
    this.ec2Status = new InstanceStatusChecks({ clock: this.clock, autoscaling: this.autoscaling, physics }, config.aws.ec2.statusChecks);
    this.#fleetMetrics = new FleetMetricPublisher(this, this.cloudwatch.metrics);
    // SSM delivers before the clients move, so a drain signal picked up this step sheds this step;
    // the fleet's own metrics go in just before CloudWatch ingests and evaluates.
    this.#steppers = [this.faults, this.autoscaling, this.ec2Status, this.elb, this.ssm, this.clients, this.#fleetMetrics, this.cloudwatch, this.events];
  }

  get accountId(): string {
    return this.config.accountId;
  }

  get region(): string {
    return this.config.region;
  }

  /** Seconds of virtual time since the scenario started. */
  get elapsedSeconds(): number {
    return (this.clock.nowMs - this.startMs) / 1000;
  }

  /** Moves virtual time forward, running every whole physics step that is crossed. */
  advance(seconds: number): void {
    if (!(seconds >= 0)) throw new Error(`cannot advance by ${seconds} s`);
    this.advanceTo(this.clock.nowMs + seconds * 1000);
  }

  advanceTo(targetMs: number): void {
    let next = Math.floor(this.clock.nowMs / STEP_MS) * STEP_MS + STEP_MS;
    while (next <= targetMs) {
      this.clock.setMs(next);
      for (const stepper of this.#steppers) stepper.step(next);
      for (const observer of this.#observers) observer.step(next);
      next += STEP_MS;
    }
    this.clock.setMs(targetMs);
  }

  /** Watches every physics step after the subsystems have moved (reports, charts); must not change the world. */
  observe(observer: Stepper): void {
    this.#observers.push(observer);
  }

  /** Deterministic request ids, in AWS's UUID shape. */
  nextRequestId(): string {
    this.#requestSequence += 1;
    return sequenceUuid(REQUEST_ID_KIND, this.#requestSequence);
  }
}
