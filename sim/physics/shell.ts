import type { World } from "../world.ts";
import type { ShellResult } from "../../emulator/ssm/types.ts";

/**
 * The emulated host's shell: the app's `ebb-drain` (start shedding connections), `ebb-undrain`
 * (accept connections again) and `ebb-connections` (print how many it holds) commands, `echo`, `true`, `exit N`. Anything else
 * is not installed on the host. Like `sh`, the script's exit code is its last command's.
 */
export function runShellScript(world: World, instanceId: string, commands: readonly string[]): ShellResult {
  const stdout: string[] = [];
  const stderr: string[] = [];
  let exitCode = 0;
  // An app that takes no drain signal has none of its commands installed.
  const appCommands = world.config.app.drainSignal === "ssm";
  const lines = commands.flatMap((command) => command.split("\n")).map((line) => line.trim());
  for (const line of lines) {
    if (line === "" || line.startsWith("#")) continue;
    const [program = "", ...args] = line.split(/\s+/);
    const signal = appCommands ? APP_SIGNALS.find((candidate) => line.includes(candidate.program)) : undefined;
    if (signal !== undefined) {
      const taken = signal.send(world, instanceId, rateArgument(line));
      exitCode = taken ? 0 : 1;
      if (taken) stdout.push(`${signal.done}: ${world.clients.connectionsOf(instanceId)} connections open`);
      else stderr.push(`${signal.program}: the app is not running`);
    } else if (line.includes("ebb-connections") && appCommands) {
      stdout.push(String(world.clients.connectionsOf(instanceId)));
      exitCode = 0;
    } else if (program === "echo") {
      stdout.push(args.join(" "));
      exitCode = 0;
    } else if (program === "true" || program === ":") {
      exitCode = 0;
    } else if (program === "exit") {
      return { exitCode: Number.parseInt(args[0] ?? "0", 10) || 0, stdout: joinLines(stdout), stderr: joinLines(stderr) };
    } else {
      stderr.push(`sh: ${program}: command not found`);
      exitCode = 127;
    }
  }
  return { exitCode, stdout: joinLines(stdout), stderr: joinLines(stderr) };
}

interface AppSignal {
  readonly program: string;
  /** What the app prints once it took the signal. */
  readonly done: string;
  /** False when the app is not running. */
  readonly send: (world: World, instanceId: string, ratePerSecond: number | undefined) => boolean;
}

/** `--rate N`: connections per second the app sheds at (never above its own rate); absent or not a positive number: its own rate. */
function rateArgument(line: string): number | undefined {
  const value = /--rate[= ](\S+)/.exec(line)?.[1];
  const rate = value === undefined ? Number.NaN : Number(value);
  return Number.isFinite(rate) && rate > 0 ? rate : undefined;
}

const APP_SIGNALS: readonly AppSignal[] = [
  { program: "ebb-drain", done: "draining", send: (world, id, rate) => world.clients.startDrain(id, rate) },
  { program: "ebb-undrain", done: "accepting connections", send: (world, id) => world.clients.stopDrain(id) },
];

const joinLines = (lines: readonly string[]): string => (lines.length === 0 ? "" : `${lines.join("\n")}\n`);
