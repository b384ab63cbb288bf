import type { World } from "../world.ts";
import type { ShellResult } from "./types.ts";

/**
 * The emulated host's shell: the app's `ebb-drain` (start shedding connections) and
 * `ebb-connections` (print how many it holds) commands, `echo`, `true`, `exit N`. Anything else
 * is not installed on the host. Like `sh`, the script's exit code is its last command's.
 */
export function runShellScript(world: World, instanceId: string, commands: readonly string[]): ShellResult {
  const stdout: string[] = [];
  const stderr: string[] = [];
  let exitCode = 0;
  const lines = commands.flatMap((command) => command.split("\n")).map((line) => line.trim());
  for (const line of lines) {
    if (line === "" || line.startsWith("#")) continue;
    const [program = "", ...args] = line.split(/\s+/);
    if (line.includes("ebb-drain") && world.config.app.drainSignal === "ssm") {
      const started = world.clients.startDrain(instanceId);
      exitCode = started ? 0 : 1;
      if (started) stdout.push(`draining: ${world.clients.connectionsOf(instanceId)} connections open`);
      else stderr.push("ebb-drain: the app is not running");
    } else if (line.includes("ebb-connections") && world.config.app.drainSignal === "ssm") {
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

const joinLines = (lines: readonly string[]): string => (lines.length === 0 ? "" : `${lines.join("\n")}\n`);
