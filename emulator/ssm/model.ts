import type { World } from "../../sim/world.ts";
import { invalidDocument, invalidInstanceId, invalidParameters } from "./errors.ts";
import { runShellScript } from "../../sim/physics/shell.ts";
import type { CommandInvocation, InvocationView, SsmCommand } from "./types.ts";
import { hex } from "../ec2/ids.ts";

const RUN_SHELL_SCRIPT = "AWS-RunShellScript";
/** The SSM agent polls for work: a command starts about this long after SendCommand. */
export const AGENT_DELIVERY_MS = 2000;

export interface SendCommandRequest {
  documentName: string;
  instanceIds: readonly string[];
  commands: readonly string[] | undefined;
  comment?: string;
  timeoutSeconds?: number;
}


/**
 * SSM Run Command on the fleet. The script runs when it is sent (so a drain starts at once);
 * its invocation reports InProgress until the agent's delivery delay has passed in virtual time,
 * then Success or Failed by the script's exit code.
 */
export class SsmModel {
  readonly #world: World;
  readonly #commands: SsmCommand[] = [];
  readonly #invocations: CommandInvocation[] = [];

  constructor(world: World) {
    this.#world = world;
  }

  sendCommand(request: SendCommandRequest): SsmCommand {
    const world = this.#world;
    if (request.documentName !== RUN_SHELL_SCRIPT) throw invalidDocument(request.documentName);
    if (request.commands === undefined || request.commands.length === 0) {
      throw invalidParameters('Parameter "commands" is required.');
    }
    const unknown = request.instanceIds.filter((id) => {
      const instance = world.autoscaling.instance(id);
      return instance === undefined || instance.ec2State !== "running";
    });
    if (unknown.length > 0) throw invalidInstanceId(unknown, world.config.accountId);
    const nowMs = world.clock.nowMs;
    const command: SsmCommand = {
      commandId: `${hex(this.#commands.length + 1, 8)}-ebb0-4000-8000-${hex(nowMs % 0x1000000000000, 12)}`,
      documentName: request.documentName,
      comment: request.comment ?? "",
      instanceIds: [...request.instanceIds],
      commands: [...request.commands],
      timeoutSeconds: request.timeoutSeconds ?? 3600,
      requestedAtMs: nowMs,
    };
    this.#commands.push(command);
    for (const instanceId of command.instanceIds) {
      const reachable = world.autoscaling.instance(instanceId)?.crashed !== true;
      this.#invocations.push({
        command,
        instanceId,
        result: reachable ? runShellScript(world, instanceId, command.commands) : undefined,
        finishedAtMs: nowMs + AGENT_DELIVERY_MS,
      });
    }
    return command;
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

  #view(invocation: CommandInvocation): InvocationView {
    if (invocation.result === undefined) return { invocation, status: "Undeliverable", responseCode: -1 };
    if (this.#world.clock.nowMs < invocation.finishedAtMs) return { invocation, status: "InProgress", responseCode: -1 };
    const { exitCode } = invocation.result;
    return { invocation, status: exitCode === 0 ? "Success" : "Failed", responseCode: exitCode };
  }
}
