import type { SsmSettings, SsmWorld } from "./ports.ts";
import { invalidCommandId, invalidDocument, invalidInstanceId, invalidParameters } from "./errors.ts";
import type { CommandInvocation, InvocationView, ScriptRun, ShellResult, SsmCommand } from "./types.ts";
import { hex } from "../ec2/ids.ts";

const RUN_SHELL_SCRIPT = "AWS-RunShellScript";
/** AWS-RunShellScript's executionTimeout parameter default. */
const DEFAULT_EXECUTION_TIMEOUT_SECONDS = 3600;
/** SendCommand's TimeoutSeconds default: how long an invocation may wait for delivery. */
const DEFAULT_DELIVERY_TIMEOUT_SECONDS = 3600;
/** What the agent reports when the plugin itself fails (an injected fault), as a failing shell step would. */
const PLUGIN_FAILURE: ShellResult = { exitCode: 1, stdout: "", stderr: "failed to run commands: exit status 1\n" };

export interface SendCommandRequest {
  documentName: string;
  instanceIds: readonly string[];
  commands: readonly string[] | undefined;
  executionTimeout?: readonly string[] | undefined;
  comment?: string;
  timeoutSeconds?: number;
}

/**
 * SSM Run Command on the fleet. SendCommand is refused (InvalidInstanceId) for an instance whose
 * agent is not registered yet or that is not running; otherwise each invocation is Pending until
 * its agent picks it up (deliveryMs), then the script runs and it is InProgress for
 * executionMs before it ends Success or Failed by the exit code; a script that waits on the host
 * stays InProgress until it ends (then executionMs more), or is stopped TimedOut/ExecutionTimedOut
 * at the document's executionTimeout. A host whose agent went
 * silent (a crash) leaves it Delayed from the first delivery attempt until the delivery timeout;
 * one that is gone by delivery time makes it Undeliverable; CancelCommand ends it Cancelled;
 * injected faults fail, hang or strand invocations per instance.
 */
export class SsmModel {
  readonly #world: SsmWorld;
  readonly #settings: SsmSettings;
  readonly #commands: SsmCommand[] = [];
  readonly #invocations: CommandInvocation[] = [];
  readonly #waiting = new Set<CommandInvocation>();
  /** Delivered invocations whose script still runs on the host. */
  readonly #running = new Set<CommandInvocation>();

  constructor(world: SsmWorld, settings: SsmSettings) {
    this.#world = world;
    this.#settings = settings;
  }

  sendCommand(request: SendCommandRequest): SsmCommand {
    const world = this.#world;
    if (request.documentName !== RUN_SHELL_SCRIPT) throw invalidDocument(request.documentName);
    if (request.commands === undefined || request.commands.length === 0) {
      throw invalidParameters('Parameter "commands" is required.');
    }
    const executionTimeoutSeconds = request.executionTimeout === undefined ? DEFAULT_EXECUTION_TIMEOUT_SECONDS : Number(request.executionTimeout[0]);
    if (!Number.isInteger(executionTimeoutSeconds) || executionTimeoutSeconds < 1 || executionTimeoutSeconds > 172_800) {
      throw invalidParameters('Parameter "executionTimeout" must be a whole number of seconds from 1 to 172800.');
    }
    const notManaged = request.instanceIds.filter((id) => !this.#agentRegistered(id));
    if (notManaged.length > 0) throw invalidInstanceId(notManaged, world.accountId);
    const nowMs = world.clock.nowMs;
    const command: SsmCommand = {
      commandId: `${hex(this.#commands.length + 1, 8)}-ebb0-4000-8000-${hex(Math.floor(nowMs) % 0x1000000000000, 12)}`,
      documentName: request.documentName,
      comment: request.comment ?? "",
      instanceIds: [...request.instanceIds],
      commands: [...request.commands],
      timeoutSeconds: request.timeoutSeconds ?? DEFAULT_DELIVERY_TIMEOUT_SECONDS,
      executionTimeoutSeconds,
      requestedAtMs: nowMs,
    };
    this.#commands.push(command);
    const { deliveryMs, executionMs } = this.#settings;
    for (const instanceId of command.instanceIds) {
      const instance = world.autoscaling.instance(instanceId);
      const invocation: CommandInvocation = {
        command,
        instanceId,
        deliverAtMs: nowMs + this.#draw(deliveryMs),
        executionMs: this.#draw(executionMs),
        fault: instance === undefined ? undefined : world.faults.ssmFault(instance),
        delivered: undefined,
        delayedSinceMs: undefined,
        cancelAtMs: undefined,
        undeliverable: undefined,
      };
      this.#invocations.push(invocation);
      this.#waiting.add(invocation);
    }
    return command;
  }

  /** Agents pick up their invocations and follow their running scripts as virtual time passes. */
  step(nowMs: number): void {
    for (const invocation of this.#running) {
      const { delivered } = invocation;
      const ended = delivered?.script?.poll(nowMs);
      const stopAtMs = (delivered?.atMs ?? nowMs) + invocation.command.executionTimeoutSeconds * 1000;
      if (delivered === undefined || ended !== undefined || nowMs >= stopAtMs || invocation.cancelAtMs !== undefined) {
        if (delivered !== undefined && ended !== undefined) {
          delivered.result = ended;
          delivered.endedAtMs = nowMs;
        }
        this.#running.delete(invocation);
      }
    }
    for (const invocation of this.#waiting) {
      if (nowMs < invocation.deliverAtMs) continue;
      const instance = this.#world.autoscaling.instance(invocation.instanceId);
      if (invocation.fault === "Undeliverable" || instance === undefined || instance.ec2State !== "running") {
        invocation.undeliverable = { atMs: nowMs, details: "Undeliverable" };
      } else if (instance.crashed) {
        // The agent went silent with its host: delivery is retried (Delayed) until the invocation expires.
        const expiresAtMs = invocation.command.requestedAtMs + invocation.command.timeoutSeconds * 1000;
        invocation.delayedSinceMs ??= nowMs;
        if (nowMs < expiresAtMs) continue;
        invocation.undeliverable = { atMs: expiresAtMs, details: "DeliveryTimedOut" };
      } else {
        const run: ScriptRun = invocation.fault === undefined ? this.#world.physics.runShellScript(invocation.instanceId, invocation.command.commands) : PLUGIN_FAILURE;
        const script = "running" in run ? run : undefined;
        invocation.delivered = { atMs: nowMs, result: "running" in run ? undefined : run, endedAtMs: nowMs, script };
        if (script !== undefined) this.#running.add(invocation);
      }
      this.#waiting.delete(invocation);
    }
  }

  /**
   * CancelCommand: on every instance of the command, or on those named. An invocation not yet
   * delivered never runs; one in progress is stopped once its agent picks the cancel up (a
   * delivery time later), and whatever the script already did stays done.
   */
  cancelCommand(commandId: string, instanceIds: readonly string[] | undefined): void {
    const command = this.command(commandId);
    if (command === undefined) throw invalidCommandId();
    const named = instanceIds === undefined || instanceIds.length === 0 ? command.instanceIds : instanceIds;
    const strangers = named.filter((id) => !command.instanceIds.includes(id));
    if (strangers.length > 0) throw invalidInstanceId(strangers, this.#world.accountId);
    const nowMs = this.#world.clock.nowMs;
    for (const invocation of this.#invocations) {
      if (invocation.command !== command || !named.includes(invocation.instanceId) || invocation.cancelAtMs !== undefined) continue;
      if (this.#view(invocation).finishedAtMs !== undefined) continue;
      const inProgress = invocation.delivered !== undefined;
      invocation.cancelAtMs = inProgress ? nowMs + this.#draw(this.#settings.deliveryMs) : nowMs;
      this.#waiting.delete(invocation);
    }
  }

  /** Every command sent, oldest first. */
  commands(): readonly SsmCommand[] {
    return this.#commands;
  }

  command(commandId: string): SsmCommand | undefined {
    return this.#commands.find((command) => command.commandId === commandId);
  }

  /** Invocations, newest command first (as ListCommandInvocations returns them). */
  invocations(filter: { commandId?: string; instanceId?: string } = {}): InvocationView[] {
    return this.#invocations
      .filter((invocation) => filter.commandId === undefined || invocation.command.commandId === filter.commandId)
      .filter((invocation) => filter.instanceId === undefined || invocation.instanceId === filter.instanceId)
      .reverse()
      .map((invocation) => this.#view(invocation));
  }

  invocation(commandId: string, instanceId: string): InvocationView | undefined {
    return this.invocations({ commandId, instanceId })[0];
  }

  /**
   * Managed nodes as DescribeInstanceInformation lists them: an instance appears once its agent
   * registered; Online while it runs, ConnectionLost once it is no longer running. A crashed host
   * still shows Online: the agent pings only every few minutes, so the status lags the host.
   */
  managedNodes(instanceIds: readonly string[] | undefined): { instanceId: string; pingStatus: "Online" | "ConnectionLost"; lastPingMs: number }[] {
    const world = this.#world;
    const agentMs = this.#settings.agentStartSeconds * 1000;
    return world.autoscaling
      .instances()
      .filter((instance) => instanceIds === undefined || instanceIds.includes(instance.instanceId))
      .filter((instance) => world.clock.nowMs >= instance.launchTimeMs + agentMs)
      .map((instance) => {
        const online = instance.ec2State === "running";
        return { instanceId: instance.instanceId, pingStatus: online ? "Online" : "ConnectionLost", lastPingMs: world.clock.nowMs };
      });
  }

  /** A managed node SendCommand accepts: a running instance of the fleet whose agent has registered. */
  #agentRegistered(instanceId: string): boolean {
    const instance = this.#world.autoscaling.instance(instanceId);
    if (instance === undefined || instance.ec2State !== "running") return false;
    return this.#world.clock.nowMs >= instance.launchTimeMs + this.#settings.agentStartSeconds * 1000;
  }

  #draw([minMs, maxMs]: readonly [number, number]): number {
    return minMs === maxMs ? minMs : Math.round(minMs + this.#world.rng.next() * (maxMs - minMs));
  }

  #view(invocation: CommandInvocation): InvocationView {
    const { cancelAtMs } = invocation;
    const natural = this.#uncancelledView(invocation);
    if (cancelAtMs === undefined || (natural.finishedAtMs !== undefined && natural.finishedAtMs <= cancelAtMs)) return natural;
    const base = { invocation, responseCode: -1 };
    if (this.#world.clock.nowMs < cancelAtMs) return { ...base, status: "Cancelling", statusDetails: "Cancelling", finishedAtMs: undefined };
    return { ...base, status: "Cancelled", statusDetails: "Cancelled", finishedAtMs: cancelAtMs };
  }

  #uncancelledView(invocation: CommandInvocation): InvocationView {
    const base = { invocation, responseCode: -1 };
    if (invocation.undeliverable !== undefined) {
      const { atMs, details } = invocation.undeliverable;
      return { ...base, status: details === "DeliveryTimedOut" ? "TimedOut" : "Failed", statusDetails: details, finishedAtMs: atMs };
    }
    const { delivered } = invocation;
    if (delivered === undefined) {
      const status = invocation.delayedSinceMs === undefined ? "Pending" : "Delayed";
      return { ...base, status, statusDetails: status, finishedAtMs: undefined };
    }
    const nowMs = this.#world.clock.nowMs;
    if (invocation.fault === "ExecutionTimedOut" || delivered.result === undefined) {
      const timedOutAtMs = delivered.atMs + invocation.command.executionTimeoutSeconds * 1000;
      if (nowMs < timedOutAtMs) return { ...base, status: "InProgress", statusDetails: "InProgress", finishedAtMs: undefined };
      return { ...base, status: "TimedOut", statusDetails: "ExecutionTimedOut", finishedAtMs: timedOutAtMs };
    }
    // The agent reports a script's end only a reporting time after it (executionMs), however long it ran.
    const finishedAtMs = delivered.endedAtMs + invocation.executionMs;
    if (nowMs < finishedAtMs) return { ...base, status: "InProgress", statusDetails: "InProgress", finishedAtMs: undefined };
    const { exitCode } = delivered.result;
    const status = exitCode === 0 ? "Success" : "Failed";
    return { invocation, status, statusDetails: status, responseCode: exitCode, finishedAtMs };
  }
}
