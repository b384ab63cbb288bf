import type { World } from "../world.ts";
import type { RunningScript, ScriptRun } from "../../emulator/ssm/types.ts";

/**
 * The emulated host's shell: the app's `ebb-drain` (start shedding connections; with `--wait N`
 * the command returns only once the app holds no connection, exit 0, or after N seconds, exit 1,
 * and nothing after it in the script runs), `ebb-undrain`
 * (accept connections again) and `ebb-connections` (print how many it holds) commands, `echo`, `true`, `exit N`. Anything else
 * is not installed on the host. Like `sh`, the script's exit code is its last command's.
 */
export function runShellScript(world: World, instanceId: string, commands: readonly string[]): ScriptRun {
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
      const waitSeconds = waitArgument(line);
      if (taken && signal.program === "ebb-drain" && waitSeconds !== undefined) return waitForDrained(world, instanceId, waitSeconds, stdout);
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

/** `--wait N`: seconds the drain command waits for the app to hold no connection. */
function waitArgument(line: string): number | undefined {
  const value = /--wait[= ](\S+)/.exec(line)?.[1];
  const seconds = value === undefined ? Number.NaN : Number(value);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined;
}

/**
 * The app's own count is the proof: exit 0 once it holds no connection. A host that stops or
 * crashes never answers (SSM's executionTimeout ends the invocation); an app told to undrain
 * meanwhile, or still holding connections after the wait, exits 1.
 */
function waitForDrained(world: World, instanceId: string, waitSeconds: number, stdout: string[]): RunningScript {
  const untilMs = world.clock.nowMs + waitSeconds * 1000;
  return {
    running: true,
    poll: (nowMs) => {
      const instance = world.autoscaling.instance(instanceId);
      if (instance === undefined || instance.ec2State !== "running" || instance.crashed) return undefined;
      const open = world.clients.connectionsOf(instanceId);
      if (open === 0) return { exitCode: 0, stdout: joinLines([...stdout, "drained: 0 connections open"]), stderr: "" };
      if (!world.clients.isDraining(instanceId)) return { exitCode: 1, stdout: joinLines(stdout), stderr: `ebb-drain: undrained with ${open} connections open\n` };
      if (nowMs >= untilMs) return { exitCode: 1, stdout: joinLines(stdout), stderr: `ebb-drain: ${open} connections still open after ${waitSeconds} s\n` };
      return undefined;
    },
  };
}

const APP_SIGNALS: readonly AppSignal[] = [
  { program: "ebb-drain", done: "draining", send: (world, id, rate) => world.clients.startDrain(id, rate) },
  { program: "ebb-undrain", done: "accepting connections", send: (world, id) => world.clients.stopDrain(id) },
];

const joinLines = (lines: readonly string[]): string => (lines.length === 0 ? "" : `${lines.join("\n")}\n`);
